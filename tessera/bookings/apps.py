from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "tessera.bookings"
    label = "bookings"
    verbose_name = "Bookings"

    def ready(self) -> None:
        from tessera.accounts.access import register_policy
        from tessera.accounts.roles import Role, grant_permissions
        from tessera.scheduling.hooks import register_capacity_hook, register_capacity_raised_hook

        from . import access, allocations, domain_events, lifecycle, waitlist
        from .models import Booking

        register_policy(Booking, access.booking_policy)
        access.register_holding(allocations.holding)
        lifecycle.register_status_hook(
            allocations.sync_allocations, batch=allocations.sync_allocations_batch
        )
        register_capacity_hook(allocations.on_capacity_change)
        domain_events.register_event_describer(
            kinds=allocations.TIME_KINDS, describer=allocations.describe
        )
        register_capacity_raised_hook(waitlist.waitlist_promote_after_capacity_raised)
        waitlist.register_waitlist_finder(
            kinds=allocations.TIME_KINDS,
            finder=allocations.waitlist_candidates,
            awaits_approval=allocations.awaits_approval,
        )
        grant_permissions(
            Role.STAFF,
            [
                "bookings.view_booking",
                "bookings.change_booking",
                "bookings.view_bookingstatuschange",
                "bookings.view_timeallocation",
            ],
        )
