"""Sign up, sign in, sign out, password reset by email, password change, rate limits."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-passphrase-2026"


@pytest.fixture
def client() -> Client:
    return Client(enforce_csrf_checks=True)


def _csrf(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return str(response.cookies["csrftoken"].value)


def _post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, {**data, "csrfmiddlewaretoken": _csrf(client, url)})


def test_sign_up_creates_a_customer_and_signs_in(client: Client) -> None:
    url = reverse("web:sign-up")
    response = _post(
        client,
        url,
        {
            "username": "nina",
            "email": "nina@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="nina")
    assert user.groups.filter(name="customer").exists()
    assert client.get(reverse("web:home")).context["user"] == user


def test_sign_up_refusals_are_sentences_on_the_fields(client: Client, make_user: Any) -> None:
    make_user(username="taken", email="taken@example.com")
    url = reverse("web:sign-up")
    response = _post(
        client,
        url,
        {
            "username": "taken",
            "email": "new@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["username"] == ["That is already taken: choose another."]
    response = _post(
        client,
        url,
        {
            "username": "new",
            "email": "new@example.com",
            "password1": "12345678",
            "password2": "12345678",
        },
    )
    assert response.status_code == 400
    assert "stronger password" in response.context["form"].errors["password1"][0]
    assert get_user_model().objects.filter(username="new").count() == 0


def test_sign_up_without_csrf_is_refused() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("web:sign-up"), {"username": "x"})
    assert response.status_code == 403


def test_sign_in_and_out(client: Client, make_user: Any) -> None:
    user = make_user(username="omar")
    user.set_password(PASSWORD)
    user.save()
    url = reverse("web:sign-in")
    bad = _post(client, url, {"username": "omar", "password": "wrong"})
    assert bad.status_code == 200
    assert bad.context["form"].non_field_errors()
    good = _post(
        client, url, {"username": "omar", "password": PASSWORD, "next": "/account/password/"}
    )
    assert good.status_code == 302
    assert good["Location"] == "/account/password/"
    assert client.get(reverse("web:sign-out")).status_code == 405  # a link cannot sign out
    out = client.post(reverse("web:sign-out"), {"csrfmiddlewaretoken": _csrf(client, "/")})
    assert out.status_code == 302
    assert client.get("/").context["user"].is_authenticated is False


def test_sign_in_refuses_an_outside_next(client: Client, make_user: Any) -> None:
    user = make_user(username="omar")
    user.set_password(PASSWORD)
    user.save()
    response = _post(
        client,
        reverse("web:sign-in"),
        {"username": "omar", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


@override_settings(WEB_RATE_LIMITS={"sign_in": "2/m", "sign_up": "2/m", "password_reset": "2/m"})
@pytest.mark.parametrize("name", ["web:sign-in", "web:sign-up", "web:password-reset"])
def test_account_posts_are_rate_limited(client: Client, name: str) -> None:
    cache.clear()
    url = reverse(name)
    statuses = [
        _post(client, url, {"username": "x", "email": "x@example.com"}).status_code
        for _ in range(3)
    ]
    assert statuses[:2] != [429, 429]
    assert statuses[2] == 429
    response = _post(client, url, {"username": "x"})
    assert "Too many attempts" in response.content.decode()
    cache.clear()


def test_password_reset_by_email_works_once(client: Client, make_user: Any) -> None:
    user = make_user(username="pia", email="pia@example.com")
    response = _post(client, reverse("web:password-reset"), {"email": "pia@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://[^\s]+/account/password/reset/[^\s]+/", str(mail.outbox[0].body))
    assert link is not None
    path = link.group(0).split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"] is True
    set_url = form_page.redirect_chain[-1][0]
    token = (
        form_page.cookies["csrftoken"].value
        if "csrftoken" in form_page.cookies
        else _csrf(client, set_url)
    )
    done = client.post(
        set_url,
        {"new_password1": PASSWORD, "new_password2": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    again = client.get(path, follow=True)
    assert again.context["validlink"] is False
    assert "not valid any more" in again.content.decode()


def test_password_reset_of_an_unknown_address_says_the_same(client: Client) -> None:
    response = _post(client, reverse("web:password-reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_change(client: Client, make_user: Any) -> None:
    user = make_user(username="quim")
    user.set_password(PASSWORD)
    user.save()
    client.force_login(user)
    url = reverse("web:password-change")
    wrong = _post(
        client,
        url,
        {
            "old_password": "nope",
            "new_password1": "another-long-one-77",
            "new_password2": "another-long-one-77",
        },
    )
    assert wrong.status_code == 400
    assert wrong.context["form"].errors["old_password"] == ["Your current password is not right."]
    ok = _post(
        client,
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-one-77",
            "new_password2": "another-long-one-77",
        },
    )
    assert ok.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another-long-one-77")
    assert client.get(url).status_code == 200  # still signed in (session hash updated)


def test_password_change_needs_sign_in(client: Client) -> None:
    response = client.get(reverse("web:password-change"))
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/?next=")
