from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "tessera.events"
    label = "events"
    verbose_name = "Venues, events and shows"

    def ready(self) -> None:
        from tessera.accounts.roles import Role, grant_permissions
        from tessera.bookings.domain_events import register_event_describer
        from tessera.bookings.lifecycle import register_status_hook
        from tessera.bookings.models import BookingKind
        from tessera.bookings.waitlist import register_waitlist_finder

        from . import policies
        from .api import bookings as ticket_api
        from .booking_events import (
            ticket_booking_awaits_approval,
            ticket_booking_describe,
            ticket_booking_waitlist_candidates,
        )
        from .services.status import ticket_follow_status

        policies.register()
        ticket_api.register()
        register_status_hook(ticket_follow_status)
        register_event_describer(
            kinds=(BookingKind.ADMISSION, BookingKind.SEATING), describer=ticket_booking_describe
        )
        register_waitlist_finder(
            kinds=(BookingKind.ADMISSION, BookingKind.SEATING),
            finder=ticket_booking_waitlist_candidates,
            awaits_approval=ticket_booking_awaits_approval,
        )
        models = ["venue", "hall", "seat", "event", "show", "showprice", "hold", "seatclaim"]
        grant_permissions(
            Role.STAFF,
            [f"events.{verb}_{model}" for model in models for verb in ("view", "change")]
            + [f"events.add_{model}" for model in ("venue", "hall", "event", "show")],
        )
