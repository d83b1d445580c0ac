"""The URL root of `/api/`: each app contributes its own `api/urls.py`."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("docs/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("", include("tessera.accounts.api.urls")),
    path("", include("tessera.scheduling.api.urls")),
    path("", include("tessera.bookings.api.urls")),
    path("", include("tessera.events.api.urls")),
    path("", include("tessera.notifications.api.urls")),
    path("", include("tessera.analytics.api.urls")),
    path("", include("tessera.walkins.api.urls")),
    path("", include("tessera.retention.api.urls")),
]
