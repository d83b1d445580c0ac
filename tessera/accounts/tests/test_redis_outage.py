"""Sign-in and sign-up while the shared cache (Redis) is down: they keep working, the rate
limit still holds (in process memory), and the outage is logged and counted."""

import logging

import pytest
from prometheus_client import REGISTRY
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from tessera.accounts.tests.factories import TEST_PASSWORD
from tessera.api import throttling
from tessera.notifications.tests.broker_helpers import RedisServer, free_port, redis_available

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not redis_available(), reason="needs redis-server"),
]


@pytest.fixture
def private_redis(settings):
    """A Redis of this test's own on a free loopback port (never the shared one) as the
    default cache; the test stops it when it likes."""
    server = RedisServer(free_port())
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{server.port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    throttling._local.clear()
    try:
        yield server
    finally:
        server.stop()
        throttling._local.clear()


def _errors(scope: str) -> float:
    value = REGISTRY.get_sample_value("tessera_rate_limit_cache_errors_total", {"scope": scope})
    return value or 0.0


def _sign_in(api, username, password=TEST_PASSWORD):
    return api.post("/api/auth/token/", {"username": username, "password": password})


def test_sign_in_and_sign_up_work_while_redis_is_down(private_redis, customer, caplog):
    api = APIClient()
    assert _sign_in(api, customer.username).status_code == 200  # Redis up: the normal path
    private_redis.stop()
    before_auth, before_register = _errors("auth"), _errors("register")

    with caplog.at_level(logging.ERROR, logger="tessera.api.throttling"):
        signed_in = _sign_in(api, customer.username)
        wrong = _sign_in(api, customer.username, "not-the-password")
        refreshed = api.post("/api/auth/token/refresh/", {"refresh": signed_in.json()["refresh"]})
        signed_up = api.post(
            "/api/users/",
            {"username": "newbie", "email": "newbie@example.com", "password": "correct-horse-9"},
        )

    assert signed_in.status_code == 200, signed_in.content
    assert wrong.status_code == 401 and wrong.json()["code"] == "no_active_account"
    assert refreshed.status_code == 200, refreshed.content
    assert signed_up.status_code == 201, signed_up.content
    assert _errors("auth") == before_auth + 3
    assert _errors("register") == before_register + 1
    assert sum("Rate-limit cache unavailable" in r.getMessage() for r in caplog.records) == 4


def test_the_rate_limit_still_holds_while_redis_is_down(private_redis, customer, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "3/min"})
    private_redis.stop()
    api = APIClient()

    answers = [_sign_in(api, customer.username).status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]


def test_the_metric_is_served(api):
    response = api.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert b"# HELP tessera_rate_limit_cache_errors_total " in response.content
