"""Tokens and sessions end with a password change (API, admin, `set_password`) and with
"sign out everywhere"; a well-signed token naming no valid user is a 401, never a 500."""

import pytest
from django.test import Client
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from tessera.accounts.models import TokenFamily, User
from tessera.accounts.services import user_sign_out_everywhere
from tessera.accounts.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "another-long-passphrase-7"


def _obtain(user, password=TEST_PASSWORD):
    response = APIClient().post(
        "/api/auth/token/", {"username": user.username, "password": password}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def _me(access):
    return APIClient().get("/api/users/me/", HTTP_AUTHORIZATION=f"Bearer {access}")


def _refresh(refresh):
    return APIClient().post("/api/auth/token/refresh/", {"refresh": refresh}, format="json")


def _change_password(access, old=TEST_PASSWORD, new=NEW_PASSWORD):
    return APIClient().post(
        "/api/users/me/password/",
        {"old_password": old, "new_password": new},
        format="json",
        HTTP_AUTHORIZATION=f"Bearer {access}",
    )


def test_a_password_change_through_the_api_revokes_every_earlier_token(customer):
    laptop, phone = _obtain(customer), _obtain(customer)

    changed = _change_password(laptop["access"])

    assert changed.status_code == 200, changed.content
    for old in (laptop, phone):
        refused = _me(old["access"])
        assert refused.status_code == 401
        assert refused.json()["code"] == "password_changed"
        assert _refresh(old["refresh"]).json()["code"] == "password_changed"
    assert not TokenFamily.objects.filter(user=customer, revoked_at__isnull=True).exclude(
        current_jti=_jti(changed.json()["refresh"])
    )
    # The client that changed it stays signed in with the pair it got back.
    assert _me(changed.json()["access"]).status_code == 200
    assert _refresh(changed.json()["refresh"]).status_code == 200
    assert _obtain(customer, NEW_PASSWORD)


def _jti(raw):
    import jwt

    return str(jwt.decode(raw, options={"verify_signature": False})["jti"])


@pytest.mark.parametrize(
    ("old", "new", "field", "code"),
    [
        ("wrong-password-1", NEW_PASSWORD, "old_password", "wrong_password"),
        (TEST_PASSWORD, "short", "new_password", "password_too_weak"),
        (TEST_PASSWORD, "", "new_password", "blank"),
    ],
)
def test_a_refused_password_change_changes_nothing(customer, old, new, field, code):
    tokens = _obtain(customer)
    response = _change_password(tokens["access"], old=old, new=new)

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field
    assert response.json()["errors"][0]["code"] == code
    assert _me(tokens["access"]).status_code == 200
    customer.refresh_from_db()
    assert customer.check_password(TEST_PASSWORD)


def test_changing_a_password_needs_a_signed_in_user():
    response = APIClient().post(
        "/api/users/me/password/", {"old_password": "a", "new_password": "b"}, format="json"
    )
    assert response.status_code == 401


def test_a_password_set_in_the_admin_revokes_the_tokens(customer, make_user):
    tokens = _obtain(customer)
    admin = make_user(is_superuser=True, is_staff=True)
    browser = Client()
    browser.force_login(admin)

    response = browser.post(
        f"/admin/accounts/user/{customer.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )

    assert response.status_code == 302, response.content[:2000]
    assert _me(tokens["access"]).json()["code"] == "password_changed"
    assert _refresh(tokens["refresh"]).status_code == 401


def test_a_password_set_by_a_command_revokes_the_tokens(customer):
    tokens = _obtain(customer)
    user = User.objects.get(pk=customer.pk)
    user.set_password(NEW_PASSWORD)  # what `manage.py changepassword` does
    user.save()
    assert _me(tokens["access"]).json()["code"] == "password_changed"


def test_sign_out_everywhere_ends_every_token_and_session(customer):
    laptop, phone = _obtain(customer), _obtain(customer)
    browser = Client()
    browser.force_login(customer)
    assert browser.get("/api/users/me/").status_code == 200

    out = APIClient().post(
        "/api/users/me/sign-out-everywhere/", HTTP_AUTHORIZATION=f"Bearer {laptop['access']}"
    )

    assert out.status_code == 204
    for old in (laptop, phone):
        assert _me(old["access"]).json()["code"] == "token_revoked"
        assert _refresh(old["refresh"]).status_code == 401
    assert browser.get("/api/users/me/").status_code in (401, 403)
    assert not TokenFamily.objects.filter(user=customer, revoked_at__isnull=True).exists()
    fresh = _obtain(customer)  # signing in again works at once
    assert _me(fresh["access"]).status_code == 200
    assert _refresh(fresh["refresh"]).status_code == 200


def test_sign_out_everywhere_is_a_service_a_page_can_call(customer):
    before = customer.get_session_auth_hash()
    fallbacks_before = list(customer.get_session_auth_fallback_hash())
    user = user_sign_out_everywhere(user=customer)
    assert user.auth_generation == 1
    # Django checks sessions through this hook; if Django stops calling it, this fails.
    assert user.get_session_auth_hash() != before
    assert list(user.get_session_auth_fallback_hash()) == fallbacks_before == []


def test_verify_refuses_revoked_tokens(customer):
    tokens = _obtain(customer)
    verify = APIClient()
    assert verify.post("/api/auth/token/verify/", {"token": tokens["access"]}).status_code == 200
    assert verify.post("/api/auth/token/verify/", {"token": tokens["refresh"]}).status_code == 200
    user_sign_out_everywhere(user=customer)
    for raw in (tokens["access"], tokens["refresh"]):
        refused = verify.post("/api/auth/token/verify/", {"token": raw}, format="json")
        assert refused.status_code == 401
        assert refused.json()["code"] == "token_revoked"


@pytest.mark.parametrize(
    "user_id",
    [
        "abc",
        "1.5",
        "-1",
        "0",
        " 1",
        "\u0661",
        "99999999999999999999999",
        2**70,
        1.0,
        True,
        None,
        [1],
    ],
)
def test_a_signed_token_whose_user_id_is_not_a_valid_id_is_a_401(customer, user_id):
    token = AccessToken.for_user(customer)
    token["user_id"] = user_id
    response = _me(str(token))
    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"
    refresh = _refresh(str(token))  # an access token is not a refresh token, still a 401
    assert refresh.status_code == 401


def test_a_signed_token_without_the_revocation_claim_is_refused(customer):
    token = AccessToken.for_user(customer)
    del token["hash_password"]
    assert _me(str(token)).json()["code"] == "password_changed"
