from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("resources", views.ResourceViewSet, basename="resource")

urlpatterns = router.urls
