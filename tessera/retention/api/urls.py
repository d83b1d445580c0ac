from django.urls import re_path

from tessera.api.fields import ID_PATTERN

from . import views

urlpatterns = [
    re_path(
        rf"^users/(?P<user_id>{ID_PATTERN})/export/$",
        views.UserExportView.as_view(),
        name="user-export",
    ),
    re_path(
        rf"^users/(?P<user_id>{ID_PATTERN})/erasure/$",
        views.UserErasureView.as_view(),
        name="user-erasure",
    ),
]
