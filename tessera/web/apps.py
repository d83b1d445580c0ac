from django.apps import AppConfig


class WebConfig(AppConfig):
    """The public pages: browse, book and manage bookings (server-rendered, htmx)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "tessera.web"
    label = "web"
    verbose_name = "Web pages"
