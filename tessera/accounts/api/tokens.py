"""The token endpoints: simplejwt's views with Tessera's issue / rotate / revoke rules
(`tessera.accounts.tokens`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from rest_framework import serializers
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.throttling import BaseThrottle
from rest_framework_simplejwt import serializers as jwt_serializers
from rest_framework_simplejwt import views as jwt_views
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken
from rest_framework_simplejwt.tokens import RefreshToken, UntypedToken

from tessera.api.throttling import ResilientScopedRateThrottle

from ..errors import TokenRejected
from ..models import TokenFamily, User
from ..tokens import (
    claim_id,
    token_family_of,
    token_family_revoke,
    token_pair_issue,
    token_pair_rotate,
    token_user,
)


@contextmanager
def as_authentication_failure() -> Iterator[None]:
    """A refused token is a 401 with its code, like every other authentication failure."""
    try:
        yield
    except TokenRejected as exc:
        raise AuthenticationFailed(exc.message, code=exc.code) from exc


class TokenObtainInput(jwt_serializers.TokenObtainPairSerializer):
    @classmethod
    def get_token(cls, user: Any) -> RefreshToken:
        return token_pair_issue(user=user)


class TokenRefreshInput(jwt_serializers.TokenRefreshSerializer):
    def validate(self, attrs: dict[str, Any]) -> dict[str, str]:
        refresh = RefreshToken(attrs["refresh"])
        with as_authentication_failure():
            new = token_pair_rotate(refresh=refresh)
        return {"access": str(new.access_token), "refresh": str(new)}


class TokenVerifyInput(jwt_serializers.TokenVerifySerializer):
    """Valid means: ours, well signed, unexpired, not blacklisted, its user still honours it
    and, for a refresh token, the newest of a live family."""

    def validate(self, attrs: dict[str, Any]) -> dict[Any, Any]:
        token = UntypedToken(attrs["token"])
        jti = token.get(api_settings.JTI_CLAIM)
        if BlacklistedToken.objects.filter(token__jti=jti).exists():
            raise TokenError("Token is blacklisted")
        with as_authentication_failure():
            user = token_user(claims=token.payload)
        if token.get(api_settings.TOKEN_TYPE_CLAIM) == "refresh":
            family = token_family_of(token)
            live = family is not None and (
                TokenFamily.objects.filter(
                    pk=family, user=user, current_jti=jti, revoked_at__isnull=True
                ).exists()
            )
            if not live:
                raise TokenError("Token is revoked or was rotated")
        return {}


class TokenBlacklistInput(jwt_serializers.TokenBlacklistSerializer):
    """Sign out this sign-in: the token is blacklisted and its whole family revoked."""

    def validate(self, attrs: dict[str, Any]) -> dict[Any, Any]:
        refresh = RefreshToken(attrs["refresh"])
        refresh.blacklist()
        family = token_family_of(refresh)
        user_id = claim_id(refresh.get(api_settings.USER_ID_CLAIM))
        user = User.objects.filter(pk=user_id).first() if user_id is not None else None
        if family is not None and user is not None:
            token_family_revoke(family_id=family, user=user, reason="signed_out")
        return {}


class _ThrottledTokenView:
    throttle_classes: Sequence[type[BaseThrottle]] = (ResilientScopedRateThrottle,)
    throttle_scope = "auth"
    problem_statuses = {"POST": [401]}  # bad credentials or an invalid/revoked token


class TokenObtainView(_ThrottledTokenView, jwt_views.TokenObtainPairView):
    """Exchange username and password for an access and a refresh token."""

    serializer_class = TokenObtainInput


class TokenRefreshView(_ThrottledTokenView, jwt_views.TokenRefreshView):
    """Exchange a refresh token for a new pair, once: a second use of the same refresh token
    (also by a parallel request) revokes every token of that sign-in (`token_reused`)."""

    serializer_class = TokenRefreshInput


class TokenVerifyView(_ThrottledTokenView, jwt_views.TokenVerifyView):
    """Check that a token is valid."""

    serializer_class = TokenVerifyInput


class TokenBlacklistView(_ThrottledTokenView, jwt_views.TokenBlacklistView):
    """Sign out: blacklist a refresh token and revoke the tokens rotated from the same sign-in."""

    serializer_class = TokenBlacklistInput


class TokenPairOutput(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()
