"""Writes to accounts: registration, roles, external identities."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction

from tessera.core.errors import PermissionDenied, ValidationFailed

from .access import is_staff
from .models import User
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
    """Take a role away. Staff can't take staff from themselves (no locking yourself out)."""
    if not is_staff(actor):
        raise PermissionDenied("Only staff can revoke roles.")
    if role is Role.STAFF and user.pk == actor.pk:
        raise PermissionDenied("You cannot revoke your own staff role.", code="self_revoke")
    with transaction.atomic():
        user.groups.remove(_group(role))
        if role is Role.STAFF and user.is_staff and not user.is_superuser:
            user.is_staff = False
            user.save(update_fields=["is_staff"])
    user.__dict__.pop("_tessera_roles", None)
    return user


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


def user_password_change(*, user: User, old_password: str, new_password: str) -> User:
    """Change a person's own password after checking the current one.

    The new password is validated like a registration's (`password_too_weak`); a wrong current
    password is `wrong_password` on the field `old_password`. Sessions other than the caller's stop
    being valid because Django's session hash follows the password (the page keeps its own with
    `update_session_auth_hash`).
    """
    if not user.check_password(old_password):
        raise ValidationFailed(
            "Your current password is not right.", code="wrong_password", field="old_password"
        )
    try:
        password_validation.validate_password(new_password, user=user)
    except DjangoValidationError as exc:
        raise ValidationFailed(
            " ".join(exc.messages), code="password_too_weak", field="new_password1"
        ) from exc
    user.set_password(new_password)
    user.save(update_fields=["password"])
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
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValidationFailed(
                f"{timezone!r} is not an IANA time zone.", code="invalid_timezone", field="timezone"
            ) from exc
    user.first_name, user.last_name = first_name.strip(), last_name.strip()
    user.email, user.timezone = email, timezone
    try:
        with transaction.atomic():
            user.save(update_fields=["first_name", "last_name", "email", "timezone"])
    except IntegrityError as exc:  # lost a race for the same email
        raise ValidationFailed("That email is taken.", code="unique", field="email") from exc
    return user
