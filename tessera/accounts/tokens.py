"""Tessera's own JWTs: a pair per sign-in, each refresh token rotated once, revocation.

Every refresh token belongs to a family (`fam`: one per sign-in, a `TokenFamily` row). A
rotation is one conditional UPDATE of that row (`current_jti = old -> new`), so of any number
of parallel refreshes with one token exactly one wins; the database decides. Any other use of
a token that is no longer the family's newest is reuse: the family is revoked (OAuth 2.0
Security BCP, section 4.14) and its newest refresh token stops working too.

Every token (access and refresh) carries a digest of the password hash (simplejwt's
`hash_password` claim, `CHECK_REVOKE_TOKEN`) and the user's `auth_generation` (`gen`): a
password change (API, admin, `changepassword`) or "sign out everywhere" invalidates every
earlier token at its next use. A token without `gen` is of generation 0.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken, Token
from rest_framework_simplejwt.utils import datetime_from_epoch, get_md5_hash_password

from tessera.core.clock import utcnow

from .errors import TokenRejected
from .models import TokenFamily, User

logger = logging.getLogger(__name__)

GENERATION_CLAIM = "gen"
FAMILY_CLAIM = "fam"
_MAX_ID = 2**63 - 1


def claim_id(value: Any) -> int | None:
    """An id claim as an int, or None when it is not a positive integer a row could have."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit():
        number = int(value)
    else:
        return None
    return number if 0 < number <= _MAX_ID else None


def token_user(*, claims: Mapping[str, Any]) -> User:
    """The active user a validly signed token of ours names, if the token is still honoured.

    Raises `TokenRejected` with `token_not_valid` (no usable user id), `user_not_found`,
    `user_inactive`, `password_changed` or `token_revoked` (signed out everywhere).
    """
    user_id = claim_id(claims.get(api_settings.USER_ID_CLAIM))
    if user_id is None:
        raise TokenRejected("The token names no valid user.", code="token_not_valid")
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise TokenRejected("User not found.", code="user_not_found")
    if not user.is_active:
        raise TokenRejected("User is inactive.", code="user_inactive")
    if claims.get(api_settings.REVOKE_TOKEN_CLAIM) != get_md5_hash_password(user.password):
        raise TokenRejected(
            "The password was changed after this token was issued: sign in again.",
            code="password_changed",
        )
    if claims.get(GENERATION_CLAIM, 0) != user.auth_generation:
        raise TokenRejected(
            "This token was signed out (sign out everywhere): sign in again.",
            code="token_revoked",
        )
    return user


def _new_refresh(*, user: User, family_id: int | None = None) -> RefreshToken:
    token = RefreshToken()
    token[api_settings.USER_ID_CLAIM] = str(user.pk)
    token[api_settings.REVOKE_TOKEN_CLAIM] = get_md5_hash_password(user.password)
    token[GENERATION_CLAIM] = user.auth_generation
    if family_id is not None:
        token[FAMILY_CLAIM] = family_id
    return token


def _outstand(token: RefreshToken, user: User) -> None:
    """Record the token in simplejwt's outstanding list (what `/auth/token/blacklist/` needs):
    one INSERT, where simplejwt's own `outstand()` looks the user up and gets-or-creates."""
    OutstandingToken.objects.create(
        user=user,
        jti=token[api_settings.JTI_CLAIM],
        token=str(token),
        created_at=token.current_time,
        expires_at=datetime_from_epoch(token["exp"]),
    )


def token_pair_issue(*, user: User, now: datetime | None = None) -> RefreshToken:
    """A new refresh token (its `.access_token` is the pair's access token) in a new family.

    Caller has authenticated the user. Two INSERTs in one transaction: the family and the
    outstanding-token row (simplejwt's, for `/auth/token/blacklist/`).
    """
    with transaction.atomic():
        token = _new_refresh(user=user)
        family = TokenFamily.objects.create(
            user=user, current_jti=token[api_settings.JTI_CLAIM], created_at=now or utcnow()
        )
        token[FAMILY_CLAIM] = family.pk
        _outstand(token, user)
    return token


def token_pair_rotate(*, refresh: RefreshToken, now: datetime | None = None) -> RefreshToken:
    """Exchange a refresh token (signature, expiry, type and blacklist already checked) for a
    new one of the same family. Exactly one of any number of parallel calls with the same
    token wins; every other call, and any later use of a rotated token, revokes the family
    and raises `TokenRejected` (`token_reused`). Statements: the user, then one UPDATE of the
    family and one INSERT of the outstanding token (or, on reuse, one UPDATE revoking it)."""
    now = now or utcnow()
    user = token_user(claims=refresh.payload)
    family_id = claim_id(refresh.payload.get(FAMILY_CLAIM))
    if family_id is None:
        raise TokenRejected(
            "This refresh token predates token families: sign in again.", code="token_not_valid"
        )
    new = _new_refresh(user=user, family_id=family_id)
    old_jti = refresh[api_settings.JTI_CLAIM]
    with transaction.atomic():
        won = TokenFamily.objects.filter(
            pk=family_id, user=user, current_jti=old_jti, revoked_at__isnull=True
        ).update(current_jti=new[api_settings.JTI_CLAIM], rotated_at=now)
        if won:
            _outstand(new, user)
    if not won:
        revoked = token_family_revoke(family_id=family_id, user=user, reason="reused", now=now)
        if revoked:
            logger.warning("Refresh token reuse: family %s of user %s revoked", family_id, user.pk)
        raise TokenRejected(
            "This refresh token was already used: every token of this sign-in is now revoked.",
            code="token_reused",
        )
    return new


def token_family_revoke(
    *, family_id: int, user: User, reason: str, now: datetime | None = None
) -> bool:
    """Revoke one family (no refresh token of it works any more). True if it was live."""
    return bool(
        TokenFamily.objects.filter(pk=family_id, user=user, revoked_at__isnull=True).update(
            revoked_at=now or utcnow(), revoked_reason=reason
        )
    )


def token_family_of(token: Token) -> int | None:
    return claim_id(token.payload.get(FAMILY_CLAIM))


__all__ = [
    "FAMILY_CLAIM",
    "GENERATION_CLAIM",
    "token_family_of",
    "token_family_revoke",
    "token_pair_issue",
    "token_pair_rotate",
    "token_user",
]
