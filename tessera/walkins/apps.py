from django.apps import AppConfig


class WalkinsConfig(AppConfig):
    name = "tessera.walkins"
    label = "walkins"
    verbose_name = "Walk-ins"

    def ready(self) -> None:
        from tessera.accounts.access import register_policy
        from tessera.accounts.roles import Role, grant_permissions

        from .access import walkin_policy
        from .models import WalkIn

        register_policy(WalkIn, walkin_policy)
        grant_permissions(Role.STAFF, ["walkins.view_walkin", "walkins.change_walkin"])
