from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "tessera.analytics"
    label = "analytics"
    verbose_name = "Analytics"
