from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("notifications/sent", views.NotificationViewSet, basename="notification")
router.register("notifications/webhooks", views.WebhookSubscriptionViewSet, basename="webhook")
router.register(
    "notifications/webhook-deliveries", views.WebhookDeliveryViewSet, basename="webhook-delivery"
)
router.register("notifications/outbox", views.OutboxMessageViewSet, basename="outbox")

urlpatterns = [
    path(
        "notifications/preferences/",
        views.PreferenceView.as_view(),
        name="notification-preferences",
    ),
    *router.urls,
]
