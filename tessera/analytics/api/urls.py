from django.urls import path

from . import views

urlpatterns = [
    path("analytics/trends/", views.TrendsView.as_view(), name="analytics-trends"),
    path(
        "analytics/utilisation/resources/",
        views.ResourceUtilisationView.as_view(),
        name="analytics-resource-utilisation",
    ),
    path(
        "analytics/utilisation/shows/",
        views.ShowUtilisationView.as_view(),
        name="analytics-show-utilisation",
    ),
    path("analytics/rates/", views.RatesView.as_view(), name="analytics-rates"),
]
