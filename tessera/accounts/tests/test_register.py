import pytest
from django.contrib.auth.hashers import check_password

from tessera.accounts.models import User
from tessera.accounts.roles import Role

pytestmark = pytest.mark.django_db

URL = "/api/users/"
GOOD = {"username": "johndoe", "email": "johndoe@example.com", "password": "correct-horse-9"}


def test_register_returns_the_documented_shape_and_hashes_the_password(api):
    response = api.post(URL, GOOD, format="json")

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "username", "email"}
    assert body["username"] == "johndoe"
    user = User.objects.get(pk=body["id"])
    assert user.password != GOOD["password"]
    assert check_password(GOOD["password"], user.password)
    assert list(user.groups.values_list("name", flat=True)) == [Role.CUSTOMER.value]


def test_register_with_a_weak_password_is_refused_and_creates_nothing(api):
    response = api.post(URL, {**GOOD, "password": "password"}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "password_too_weak"
    assert body["errors"][0]["field"] == "password"
    assert response["Content-Type"] == "application/problem+json"
    assert not User.objects.exists()


def test_password_similar_to_the_username_is_refused(api):
    response = api.post(URL, {**GOOD, "password": "johndoe1"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "password"


@pytest.mark.parametrize(
    ("payload", "field", "code"),
    [
        ({"email": "a@example.com", "password": "correct-horse-9"}, "username", "required"),
        ({"username": "a", "password": "correct-horse-9"}, "email", "required"),
        ({"username": "a", "email": "a@example.com"}, "password", "required"),
        ({**GOOD, "email": "not-an-email"}, "email", "invalid"),
        ({**GOOD, "username": "has space"}, "username", "invalid"),
        ({**GOOD, "username": "x" * 151}, "username", "max_length"),
        ({**GOOD, "username": None}, "username", "null"),
        ({**GOOD, "password": ""}, "password", "blank"),
    ],
)
def test_register_field_errors(api, payload, field, code):
    response = api.post(URL, payload, format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert {"field": field, "code": code} == {k: body["errors"][0][k] for k in ("field", "code")}
    assert not User.objects.exists()


def test_username_and_email_are_unique_case_insensitively(api):
    assert api.post(URL, GOOD, format="json").status_code == 201

    same_name = api.post(URL, {**GOOD, "username": "JohnDoe", "email": "o@example.com"})
    same_mail = api.post(URL, {**GOOD, "username": "other", "email": "JOHNDOE@example.com"})

    assert same_name.status_code == 400
    assert same_name.json()["errors"][0] == {
        "field": "username",
        "code": "unique",
        "message": "A user with that username already exists.",
    }
    assert same_mail.status_code == 400
    assert same_mail.json()["errors"][0]["field"] == "email"
    assert User.objects.count() == 1


def test_registration_is_throttled(api, monkeypatch):
    from django.core.cache import cache
    from rest_framework.throttling import ScopedRateThrottle

    cache.clear()
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"register": "2/min"})
    responses = [
        api.post(URL, {**GOOD, "username": f"u{i}", "email": f"u{i}@example.com"}) for i in range(3)
    ]
    cache.clear()

    assert [r.status_code for r in responses] == [201, 201, 429]
    throttled = responses[-1]
    assert throttled.json()["code"] == "throttled"
    assert int(throttled["Retry-After"]) > 0
    assert User.objects.count() == 2
