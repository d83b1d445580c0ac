from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "tessera.bookings"
    label = "bookings"
    verbose_name = "Bookings"

    def ready(self) -> None:
        from tessera.accounts.access import register_policy
        from tessera.accounts.roles import Role, grant_permissions

        from . import access
        from .models import Booking

        register_policy(Booking, access.booking_policy)
        grant_permissions(
            Role.STAFF,
            [
                "bookings.view_booking",
                "bookings.change_booking",
                "bookings.view_bookingstatuschange",
                "bookings.view_timeallocation",
            ],
        )
