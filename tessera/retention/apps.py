from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "tessera.retention"
    label = "retention"
    verbose_name = "Data retention"

    def ready(self) -> None:
        from tessera.accounts.roles import Role, grant_permissions

        grant_permissions(Role.STAFF, ["retention.view_archivedbooking"])
