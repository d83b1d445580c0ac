from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "tessera.scheduling"
    label = "scheduling"
    verbose_name = "Scheduling: resources and availability"

    def ready(self) -> None:
        from tessera.accounts.access import register_policy
        from tessera.accounts.roles import Role, grant_permissions

        from . import access
        from .models import Resource

        register_policy(Resource, access.resource_policy)
        grant_permissions(
            Role.PROVIDER,
            [
                "scheduling.view_resource",
                "scheduling.add_resource",
                "scheduling.change_resource",
            ],
        )
        grant_permissions(
            Role.STAFF,
            [
                f"scheduling.{verb}_{model}"
                for verb in ("view", "add", "change")
                for model in ("resource", "weeklyhours", "closure", "extraopening")
            ],
        )
