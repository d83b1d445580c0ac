"""Loads the demo data of every app (idempotent: running it again changes nothing).

Each app that has demo data offers `<app>/demo.py` with `load(out) -> None`; they run in the
order of INSTALLED_APPS, so an app's demo can use the users and objects of the apps before it.
"""

import importlib
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Load the demo data (admin account, demo users, and each app's examples)."

    def handle(self, *args: Any, **options: Any) -> None:
        for config in apps.get_app_configs():
            if not config.name.startswith("tessera."):
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            with transaction.atomic():
                module.load(self.stdout)
