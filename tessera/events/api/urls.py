from rest_framework.routers import SimpleRouter

from .views.events import EventViewSet
from .views.shows import ShowViewSet
from .views.venues import HallViewSet, VenueViewSet

router = SimpleRouter()
router.register("venues", VenueViewSet, basename="venue")
router.register("halls", HallViewSet, basename="hall")
router.register("events", EventViewSet, basename="event")
router.register("shows", ShowViewSet, basename="show")

urlpatterns = router.urls
