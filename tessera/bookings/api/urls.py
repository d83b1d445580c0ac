from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from tessera.api.fields import ID_PATTERN

from . import availability, views

router = SimpleRouter()
router.register("bookings", views.BookingViewSet, basename="booking")

urlpatterns = [
    re_path(
        rf"^users/(?P<user_id>{ID_PATTERN})/booking-history/$",
        views.UserBookingHistoryView.as_view(),
        name="user-booking-history",
    ),
    re_path(
        rf"^resources/(?P<resource_id>{ID_PATTERN})/availability/$",
        availability.ResourceAvailabilityView.as_view(),
        name="resource-availability",
    ),
    path("availability/", availability.CommonAvailabilityView.as_view(), name="availability"),
    *router.urls,
]
