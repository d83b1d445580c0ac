from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "tessera.notifications"
    label = "notifications"
    verbose_name = "Notifications, outbox and webhooks"

    def ready(self) -> None:
        from tessera.accounts.access import register_policy
        from tessera.accounts.roles import Role, grant_permissions

        from .models import NotificationPreference

        register_policy(NotificationPreference, lambda user, pref, action: pref.user_id == user.pk)
        grant_permissions(
            Role.STAFF,
            [
                f"notifications.{verb}_{model}"
                for verb in ("view", "add", "change", "delete")
                for model in ("webhooksubscription",)
            ]
            + [
                f"notifications.{verb}_{model}"
                for verb in ("view", "change")
                for model in ("outboxmessage", "notification", "webhookdelivery")
            ]
            + ["notifications.view_webhookattempt", "notifications.view_notificationpreference"],
        )
