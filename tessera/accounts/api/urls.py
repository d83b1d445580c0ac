from django.urls import path
from rest_framework.routers import SimpleRouter

from . import tokens, views

router = SimpleRouter()
router.register("users", views.UserViewSet, basename="user")

urlpatterns = [
    path("auth/token/", tokens.TokenObtainView.as_view(), name="token-obtain"),
    path("auth/token/refresh/", tokens.TokenRefreshView.as_view(), name="token-refresh"),
    path("auth/token/verify/", tokens.TokenVerifyView.as_view(), name="token-verify"),
    path("auth/token/blacklist/", tokens.TokenBlacklistView.as_view(), name="token-blacklist"),
    *router.urls,
]
