from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "tessera.events"
    label = "events"
    verbose_name = "Venues, events and shows"

    def ready(self) -> None:
        from tessera.accounts.roles import Role, grant_permissions

        from . import policies

        policies.register()
        models = ["venue", "hall", "seat", "event", "show", "showprice", "hold", "seatclaim"]
        grant_permissions(
            Role.STAFF,
            [f"events.{verb}_{model}" for model in models for verb in ("view", "change")]
            + [f"events.add_{model}" for model in ("venue", "hall", "event", "show")],
        )
