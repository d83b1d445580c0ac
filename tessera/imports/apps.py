from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "tessera.imports"
    label = "imports"
    verbose_name = "Imports from earlier systems"
