import pytest
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken

from tessera.accounts.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def _obtain(api, user):
    response = api.post(
        "/api/auth/token/", {"username": user.username, "password": TEST_PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_register_obtain_me_round_trip(api):
    payload = {"username": "carol", "email": "carol@example.com", "password": "correct-horse-9"}
    assert api.post("/api/users/", payload, format="json").status_code == 201
    tokens = api.post(
        "/api/auth/token/", {"username": "carol", "password": "correct-horse-9"}, format="json"
    ).json()

    api.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    me = api.get("/api/users/me/")

    assert me.status_code == 200
    assert me.json()["username"] == "carol"
    assert me.json()["roles"] == ["customer"]
    assert "password" not in me.json()


def test_wrong_password_is_401_with_a_code(api, customer):
    response = api.post(
        "/api/auth/token/", {"username": customer.username, "password": "nope"}, format="json"
    )
    assert response.status_code == 401
    assert response.json()["code"] == "no_active_account"


def test_inactive_user_gets_no_token(api, make_user):
    user = make_user(is_active=False)
    response = api.post(
        "/api/auth/token/", {"username": user.username, "password": TEST_PASSWORD}, format="json"
    )
    assert response.status_code == 401


def test_refresh_rotates_and_blacklists_the_used_token(api, customer):
    tokens = _obtain(api, customer)

    first = api.post("/api/auth/token/refresh/", {"refresh": tokens["refresh"]}, format="json")
    assert first.status_code == 200
    assert set(first.json()) == {"access", "refresh"}
    assert first.json()["refresh"] != tokens["refresh"]
    assert BlacklistedToken.objects.count() == 1

    replay = api.post("/api/auth/token/refresh/", {"refresh": tokens["refresh"]}, format="json")
    assert replay.status_code == 401
    assert replay.json()["code"] == "token_not_valid"


def test_verify_accepts_good_and_refuses_bad_tokens(api, customer):
    tokens = _obtain(api, customer)
    good = api.post("/api/auth/token/verify/", {"token": tokens["access"]}, format="json")
    bad = api.post("/api/auth/token/verify/", {"token": "abc.def.ghi"}, format="json")
    missing = api.post("/api/auth/token/verify/", {}, format="json")

    assert good.status_code == 200
    assert bad.status_code == 401
    assert bad.json()["code"] == "token_not_valid"
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["field"] == "token"


def test_blacklist_signs_out(api, customer):
    tokens = _obtain(api, customer)
    out = api.post("/api/auth/token/blacklist/", {"refresh": tokens["refresh"]}, format="json")
    again = api.post("/api/auth/token/refresh/", {"refresh": tokens["refresh"]}, format="json")

    assert out.status_code == 200
    assert again.status_code == 401


def test_access_token_is_not_a_refresh_token(api, customer):
    tokens = _obtain(api, customer)
    response = api.post("/api/auth/token/refresh/", {"refresh": tokens["access"]}, format="json")
    assert response.status_code == 401


def test_me_needs_authentication(api):
    response = api.get("/api/users/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("Bearer", "bad_authorization_header"),
        ("Bearer a b", "bad_authorization_header"),
        ("Bearer not-a-jwt", "token_not_valid"),
        ("Bearer eyJhbGciOiJub25lIn0.eyJ1c2VyX2lkIjoxfQ.", "token_not_valid"),
        ("Basic dXNlcjpwYXNz", "not_authenticated"),
        ("Token abc", "not_authenticated"),
    ],
)
def test_bad_authorization_headers_are_a_clear_401(api, header, code):
    response = api.get("/api/users/me/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["code"] == code
    assert response["Content-Type"] == "application/problem+json"


def test_token_of_a_deleted_user_is_refused(api, client_for, make_user):
    user = make_user()
    client = client_for(user)
    user.delete()
    response = client.get("/api/users/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "user_not_found"


def test_blacklisting_garbage_is_a_401(api):
    response = api.post("/api/auth/token/blacklist/", {"refresh": "garbage"}, format="json")
    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"
