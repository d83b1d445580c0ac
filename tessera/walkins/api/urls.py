from django.urls import re_path

from tessera.api.fields import ID_PATTERN

from . import views

RESOURCE = rf"^resources/(?P<resource_id>{ID_PATTERN})/walkins/"
WALKIN = rf"^walkins/(?P<walkin_id>{ID_PATTERN})/"

urlpatterns = [
    re_path(rf"{RESOURCE}$", views.QueueView.as_view(), name="walkin-queue"),
    re_path(rf"{RESOURCE}wait/$", views.WaitView.as_view(), name="walkin-wait"),
    re_path(rf"{RESOURCE}serve/$", views.ServeView.as_view(), name="walkin-serve"),
    re_path(rf"{WALKIN}$", views.WalkInView.as_view(), name="walkin-detail"),
    re_path(rf"{WALKIN}leave/$", views.LeaveView.as_view(), name="walkin-leave"),
    re_path(rf"{WALKIN}finish/$", views.FinishView.as_view(), name="walkin-finish"),
]
