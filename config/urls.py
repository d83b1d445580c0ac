from django.contrib import admin
from django.urls import include, path
from django.views.decorators.http import require_GET

from tessera.analytics.views import analytics_page
from tessera.core import health, metrics

admin.site.site_header = "Tessera administration"
admin.site.site_title = "Tessera"

urlpatterns = [
    path("healthz", require_GET(health.healthz), name="healthz"),
    path("readyz", require_GET(health.readyz), name="readyz"),
    path("metrics", require_GET(metrics.metrics), name="metrics"),
    path("admin/", admin.site.urls),
    path("analytics/", analytics_page, name="analytics-page"),
    path("api/", include("tessera.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language (the language switch)
    path("", include("tessera.web.urls")),  # the pages (tessera/web); keep last
]
