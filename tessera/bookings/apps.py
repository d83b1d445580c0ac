from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "tessera.bookings"
    label = "bookings"
    verbose_name = "Bookings"
