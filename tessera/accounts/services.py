"""Writes to accounts: registration, roles, passwords, signing out, external identities."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from tessera.core.clock import utcnow
from tessera.core.errors import PermissionDenied, ValidationFailed
from tessera.core.timezones import iana_zone

from .access import is_staff
from .guards import guard_staff_revoke
from .models import TokenFamily, User
from .roles import DEFAULT_ROLE, Role


def _ensure_unique(*, username: str, email: str) -> None:
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationFailed(
            "A user with that username already exists.", code="unique", field="username"
        )
    if email and User.objects.filter(email__iexact=email).exists():
        raise ValidationFailed(
            "A user with this email address already exists.", code="unique", field="email"
        )


def user_register(*, username: str, email: str, password: str) -> User:
    """Create a customer account. The password is validated against the user and hashed."""
    email = User.objects.normalize_email(email).strip()
    _ensure_unique(username=username, email=email)
    user = User(username=username, email=email)
    try:
        password_validation.validate_password(password, user=user)
    except DjangoValidationError as exc:
        raise ValidationFailed(
            " ".join(exc.messages), code="password_too_weak", field="password"
        ) from exc
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            user.groups.add(_group(DEFAULT_ROLE))
    except IntegrityError as exc:  # lost a race with another registration of the same name
        _ensure_unique(username=username, email=email)
        raise ValidationFailed("That username or email is taken.", code="unique") from exc
    return user


def _group(role: Role) -> Group:
    group, _ = Group.objects.get_or_create(name=role.value)
    return group


def user_role_grant(*, user: User, role: Role, actor: Any) -> User:
    """Give a role. Only staff may; granting `staff` also opens the admin (`is_staff`)."""
    if not is_staff(actor):
        raise PermissionDenied("Only staff can grant roles.")
    with transaction.atomic():
        user.groups.add(_group(role))
        if role is Role.STAFF and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    user.__dict__.pop("_tessera_roles", None)
    return user


def user_role_revoke(*, user: User, role: Role, actor: Any) -> User:
    """Take a role away. Only staff may, under the rules of `guards.py`: nobody takes their
    own staff role; only a superuser takes it from a superuser, and that ends the superuser
    status too (never for the last active superuser)."""
    if not is_staff(actor):
        raise PermissionDenied("Only staff can revoke roles.")
    with transaction.atomic():
        if role is Role.STAFF:
            guard_staff_revoke(actor=actor, user=user)
        user.groups.remove(_group(role))
        if role is Role.STAFF and (user.is_staff or user.is_superuser):
            user.is_staff = False
            user.is_superuser = False
            user.save(update_fields=["is_staff", "is_superuser"])
    user.__dict__.pop("_tessera_roles", None)
    return user


def user_password_change(
    *, user: User, old_password: str, new_password: str, now: datetime | None = None
) -> User:
    """Change a password the user knows. Every token issued before stops working (their
    `hash_password` claim no longer matches) and every refresh-token family is revoked;
    sessions end too (Django hashes the password into them). A page that wants to keep the
    session it was called from calls `update_session_auth_hash(request, user)` after this."""
    if not user.check_password(old_password):
        raise ValidationFailed(
            "The current password is not correct.", code="wrong_password", field="old_password"
        )
    try:
        password_validation.validate_password(new_password, user=user)
    except DjangoValidationError as exc:
        raise ValidationFailed(
            " ".join(exc.messages), code="password_too_weak", field="new_password"
        ) from exc
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        _families_revoke(user=user, reason="password_changed", now=now)
    return user


def user_sign_out_everywhere(*, user: User, now: datetime | None = None) -> User:
    """End every token and session of the user: the generation goes up (tokens and sessions
    of an older one are refused) and every refresh-token family is revoked. A page that wants
    to keep its own session calls `update_session_auth_hash(request, user)` after this."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(auth_generation=F("auth_generation") + 1)
        _families_revoke(user=user, reason="signed_out_everywhere", now=now)
    user.refresh_from_db(fields=["auth_generation"])
    return user


def _families_revoke(*, user: User, reason: str, now: datetime | None) -> None:
    TokenFamily.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=now or utcnow(), revoked_reason=reason
    )


def user_get_or_create_external(
    *, issuer: str, subject: str, username_hint: str, email: str, create: bool
) -> User | None:
    """The user behind an external identity, created on first sight when `create` is set."""
    user = User.objects.filter(external_issuer=issuer, external_subject=subject).first()
    if user is not None or not create:
        return user
    base = (username_hint or subject)[:140]
    username = base
    suffix = 1
    while User.objects.filter(username__iexact=username).exists():
        suffix += 1
        username = f"{base}-{suffix}"
    if email and User.objects.filter(email__iexact=email).exists():
        email = ""  # the address belongs to a local account; never merge identities silently
    try:
        with transaction.atomic():
            user = User(
                username=username, email=email, external_issuer=issuer, external_subject=subject
            )
            user.set_unusable_password()
            user.save()
            user.groups.add(_group(DEFAULT_ROLE))
    except IntegrityError:  # created concurrently by another request with the same token
        user = User.objects.filter(external_issuer=issuer, external_subject=subject).first()
    return user


def user_profile_update(
    *, user: User, first_name: str, last_name: str, email: str, timezone: str
) -> User:
    """Change a person's own name, email and display time zone.

    The email stays unique (case-insensitive: `unique` on `email`); the time zone is an IANA
    name or empty (`invalid_timezone`).
    """
    email = User.objects.normalize_email(email).strip()
    if email and User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise ValidationFailed(
            "A user with this email address already exists.", code="unique", field="email"
        )
    if timezone:
        iana_zone(timezone)
    user.first_name, user.last_name = first_name.strip(), last_name.strip()
    user.email, user.timezone = email, timezone
    try:
        with transaction.atomic():
            user.save(update_fields=["first_name", "last_name", "email", "timezone"])
    except IntegrityError as exc:  # lost a race for the same email
        raise ValidationFailed("That email is taken.", code="unique", field="email") from exc
    return user
