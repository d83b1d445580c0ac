"""JWT authentication: Tessera's own tokens, and optionally those of an external auth service.

The external service is trusted through its public key (`EXTERNAL_JWT_PUBLIC_KEY`) or its JWKS
URL (`EXTERNAL_JWT_JWKS_URL`). A token that is not one of ours is checked against it; its
subject maps to a user (created on first sight unless `EXTERNAL_JWT_CREATE_USERS` is off).
"""

from __future__ import annotations

import functools
from typing import Any

import jwt
from django.conf import settings
from rest_framework_simplejwt import authentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken

from .errors import TokenRejected
from .models import User
from .services import user_get_or_create_external
from .tokens import token_user


class ExternalToken(dict[str, Any]):
    """Validated claims of an external token."""


def external_configured() -> bool:
    conf = settings.EXTERNAL_JWT
    return bool(conf["PUBLIC_KEY"] or conf["JWKS_URL"])


@functools.cache
def _jwks_client(url: str) -> jwt.PyJWKClient:
    return jwt.PyJWKClient(url, cache_keys=True, lifespan=300, timeout=5)


def decode_external_token(raw_token: str) -> ExternalToken:
    conf = settings.EXTERNAL_JWT
    try:
        if conf["JWKS_URL"]:
            key: Any = _jwks_client(conf["JWKS_URL"]).get_signing_key_from_jwt(raw_token).key
        else:
            key = conf["PUBLIC_KEY"]
        claims = jwt.decode(
            raw_token,
            key=key,
            algorithms=conf["ALGORITHMS"],
            audience=conf["AUDIENCE"] or None,
            issuer=conf["ISSUER"] or None,
            options={"require": ["exp", "sub"], "verify_aud": bool(conf["AUDIENCE"])},
        )
    except (jwt.PyJWTError, ValueError) as exc:
        raise InvalidToken(f"The token is not valid: {exc}") from exc
    return ExternalToken(claims)


class JWTAuthentication(authentication.JWTAuthentication):
    def get_validated_token(self, raw_token: bytes) -> Any:
        try:
            return super().get_validated_token(raw_token)
        except InvalidToken:
            if not external_configured():
                raise
        return decode_external_token(raw_token.decode("utf-8", errors="replace"))

    def get_user(self, validated_token: Any) -> Any:
        if not isinstance(validated_token, ExternalToken):
            # Ours: a user id that is a positive integer, an active user, and a token issued
            # after the last password change and "sign out everywhere" (see tokens.py).
            try:
                return token_user(claims=validated_token.payload)
            except TokenRejected as exc:
                raise AuthenticationFailed(exc.message, code=exc.code) from exc
        conf = settings.EXTERNAL_JWT
        user = user_get_or_create_external(
            issuer=str(validated_token.get("iss", "")),
            subject=str(validated_token["sub"]),
            username_hint=str(validated_token.get(conf["USERNAME_CLAIM"]) or ""),
            email=str(validated_token.get(conf["EMAIL_CLAIM"]) or ""),
            create=conf["CREATE_USERS"],
        )
        if user is None:
            raise AuthenticationFailed("No user is linked to this identity.", code="user_not_found")
        if not user.is_active:
            raise AuthenticationFailed("User is inactive.", code="user_inactive")
        return user


__all__ = ["ExternalToken", "JWTAuthentication", "User", "decode_external_token"]
