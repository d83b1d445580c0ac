import pytest
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken

from tessera.accounts.models import TokenFamily
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


def test_refresh_rotates_once_and_reuse_revokes_the_sign_in(api, customer):
    tokens = _obtain(api, customer)
    other_device = _obtain(api, customer)

    first = api.post("/api/auth/token/refresh/", {"refresh": tokens["refresh"]}, format="json")
    assert first.status_code == 200
    assert set(first.json()) == {"access", "refresh"}
    assert first.json()["refresh"] != tokens["refresh"]

    replay = api.post("/api/auth/token/refresh/", {"refresh": tokens["refresh"]}, format="json")
    assert replay.status_code == 401
    assert replay.json()["code"] == "token_reused"
    assert replay["WWW-Authenticate"].startswith("Bearer")
    # The reuse revoked the family: the token the first rotation gave works no more...
    newest = api.post(
        "/api/auth/token/refresh/", {"refresh": first.json()["refresh"]}, format="json"
    )
    assert newest.status_code == 401
    assert newest.json()["code"] == "token_reused"
    assert TokenFamily.objects.get(current_jti=_jti(first.json()["refresh"])).revoked_reason == (
        "reused"
    )
    # ...while another sign-in of the same person is a family of its own.
    other = api.post(
        "/api/auth/token/refresh/", {"refresh": other_device["refresh"]}, format="json"
    )
    assert other.status_code == 200


def _jti(raw: str) -> str:
    import jwt

    return str(jwt.decode(raw, options={"verify_signature": False})["jti"])


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


def test_blacklist_signs_out_the_whole_sign_in(api, customer):
    tokens = _obtain(api, customer)
    rotated = api.post("/api/auth/token/refresh/", {"refresh": tokens["refresh"]}, format="json")
    newest = rotated.json()["refresh"]
    out = api.post("/api/auth/token/blacklist/", {"refresh": newest}, format="json")
    again = api.post("/api/auth/token/refresh/", {"refresh": newest}, format="json")

    assert out.status_code == 200
    assert again.status_code == 401
    assert BlacklistedToken.objects.filter(token__jti=_jti(newest)).exists()
    assert TokenFamily.objects.get(current_jti=_jti(newest)).revoked_reason == "signed_out"


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
