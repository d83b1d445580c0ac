"""A person changes their own password and profile (the pages' account forms call these)."""

from __future__ import annotations

from typing import Any

import pytest

from tessera.accounts.services import user_password_change, user_profile_update
from tessera.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


def test_password_change_checks_the_current_one_and_the_validators(make_user: Any) -> None:
    user = make_user()
    user.set_password("the-old-passphrase-1")
    user.save()
    with pytest.raises(ValidationFailed) as wrong:
        user_password_change(user=user, old_password="nope", new_password="a-new-passphrase-2")
    assert (wrong.value.code, wrong.value.field) == ("wrong_password", "old_password")
    with pytest.raises(ValidationFailed) as weak:
        user_password_change(user=user, old_password="the-old-passphrase-1", new_password="123")
    assert weak.value.code == "password_too_weak"
    user.refresh_from_db()
    assert user.check_password("the-old-passphrase-1")
    user_password_change(
        user=user, old_password="the-old-passphrase-1", new_password="a-new-passphrase-2"
    )
    user.refresh_from_db()
    assert user.check_password("a-new-passphrase-2")


def test_profile_update(make_user: Any) -> None:
    user = make_user()
    user_profile_update(
        user=user,
        first_name=" Ana ",
        last_name="Ruiz",
        email="Ana@Example.com",
        timezone="Europe/Madrid",
    )
    user.refresh_from_db()
    assert (user.first_name, user.email, user.timezone) == (
        "Ana",
        "Ana@example.com",
        "Europe/Madrid",
    )


def test_profile_update_refuses_a_taken_email_and_an_unknown_zone(make_user: Any) -> None:
    make_user(email="taken@example.com")
    user = make_user(email="mine@example.com")
    with pytest.raises(ValidationFailed) as taken:
        user_profile_update(
            user=user, first_name="", last_name="", email="TAKEN@example.com", timezone=""
        )
    assert (taken.value.code, taken.value.field) == ("unique", "email")
    with pytest.raises(ValidationFailed) as zone:
        user_profile_update(
            user=user, first_name="", last_name="", email="mine@example.com", timezone="Mars/Base"
        )
    assert zone.value.code == "invalid_timezone"
    user.refresh_from_db()
    assert user.email == "mine@example.com"
    assert user.timezone == ""
