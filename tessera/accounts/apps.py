from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "tessera.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from . import access, roles

        access.register_user_policy()
        # Groups follow the role table after every migrate; nothing else writes them.
        post_migrate.connect(roles.sync_after_migrate, dispatch_uid="tessera.accounts.roles")
