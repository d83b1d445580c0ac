"""Tokens signed by an external auth service, trusted through its key or its JWKS URL."""

import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tessera.accounts import authentication
from tessera.accounts.models import User

pytestmark = pytest.mark.django_db

ISSUER = "https://auth.example.test"


@pytest.fixture(scope="module")
def key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def external(settings, key):
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    settings.EXTERNAL_JWT = {
        **settings.EXTERNAL_JWT,
        "PUBLIC_KEY": public_pem.decode(),
        "JWKS_URL": "",
        "ISSUER": ISSUER,
        "AUDIENCE": "tessera",
    }
    return settings.EXTERNAL_JWT


def _token(key, **claims):
    now = datetime.now(tz=UTC)
    body = {
        "iss": ISSUER,
        "aud": "tessera",
        "sub": "ext-42",
        "preferred_username": "dana",
        "email": "dana@example.com",
        "exp": now + timedelta(minutes=5),
        **claims,
    }
    return jwt.encode(body, key, algorithm="RS256", headers={"kid": "k1"})


def test_external_token_maps_to_a_new_user_then_the_same_one(api, external, key):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {_token(key)}")
    first = api.get("/api/users/me/")
    second = api.get("/api/users/me/")

    assert first.status_code == 200
    assert first.json()["username"] == "dana"
    assert first.json()["roles"] == ["customer"]
    assert first.json()["id"] == second.json()["id"]
    user = User.objects.get(username="dana")
    assert (user.external_issuer, user.external_subject) == (ISSUER, "ext-42")
    assert not user.has_usable_password()


def test_username_clash_with_a_local_user_gets_a_suffix_not_a_takeover(
    api, external, key, make_user
):
    local = make_user(username="dana", email="dana@example.com")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {_token(key)}")
    me = api.get("/api/users/me/").json()
    assert me["id"] != local.pk
    assert me["username"] == "dana-2"
    assert me["email"] is None  # no address: null, not "" (the schema says format: email)


@pytest.mark.parametrize(
    "claims",
    [
        {"iss": "https://evil.example"},
        {"aud": "someone-else"},
        {"exp": datetime(2020, 1, 1, tzinfo=UTC)},
        {"sub": None},
    ],
)
def test_external_tokens_with_wrong_claims_are_refused(api, external, key, claims):
    token = _token(key, **claims)
    if claims.get("sub", "") is None:
        payload = jwt.decode(token, options={"verify_signature": False})
        payload.pop("sub")
        token = jwt.encode(payload, key, algorithm="RS256")
    response = api.get("/api/users/me/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"
    assert not User.objects.filter(external_subject="ext-42").exists()


def test_token_signed_by_another_key_is_refused(api, external):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    response = api.get("/api/users/me/", HTTP_AUTHORIZATION=f"Bearer {_token(other)}")
    assert response.status_code == 401


def test_without_configuration_external_tokens_are_refused(api, key):
    response = api.get("/api/users/me/", HTTP_AUTHORIZATION=f"Bearer {_token(key)}")
    assert response.status_code == 401
    assert not User.objects.exists()


def test_unknown_identities_are_refused_when_creation_is_off(api, external, key):
    external["CREATE_USERS"] = False
    response = api.get("/api/users/me/", HTTP_AUTHORIZATION=f"Bearer {_token(key)}")
    assert response.status_code == 401
    assert response.json()["code"] == "user_not_found"


@pytest.fixture
def jwks_server(key):
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    document = json.dumps({"keys": [{**jwk, "kid": "k1", "use": "sig", "alg": "RS256"}]}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(document)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/.well-known/jwks.json"
    server.shutdown()
    authentication._jwks_client.cache_clear()


def test_jwks_url(api, settings, key, jwks_server):
    settings.EXTERNAL_JWT = {
        **settings.EXTERNAL_JWT,
        "PUBLIC_KEY": "",
        "JWKS_URL": jwks_server,
        "ISSUER": ISSUER,
        "AUDIENCE": "tessera",
    }
    response = api.get("/api/users/me/", HTTP_AUTHORIZATION=f"Bearer {_token(key)}")
    assert response.status_code == 200
    assert response.json()["username"] == "dana"


def test_unreachable_jwks_url_is_a_401_not_a_500(api, settings, key):
    settings.EXTERNAL_JWT = {**settings.EXTERNAL_JWT, "JWKS_URL": "http://127.0.0.1:9/jwks"}
    authentication._jwks_client.cache_clear()
    response = api.get("/api/users/me/", HTTP_AUTHORIZATION=f"Bearer {_token(key)}")
    assert response.status_code == 401
