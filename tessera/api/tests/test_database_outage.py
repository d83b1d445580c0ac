"""A database connection that drops in the middle of a request: the client gets a 503 problem
with Retry-After, and the transaction went down with the connection (nothing half-written)."""

import pytest
from django.db import connection

from tessera.accounts import services
from tessera.accounts.models import User

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_connection_killed_mid_transaction_is_a_503_and_writes_nothing(api, monkeypatch):
    real_group = services._group

    def group_after_the_connection_died(role):
        # The user row is written inside the open transaction; now the server ends the session
        # (as a PostgreSQL restart or a failover does) before the role is added.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        return real_group(role)

    monkeypatch.setattr(services, "_group", group_after_the_connection_died)
    response = api.post(
        "/api/users/",
        {"username": "dropped", "email": "dropped@example.com", "password": "correct-horse-9"},
        format="json",
    )

    assert response.status_code == 503, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "database_unavailable"
    assert int(response["Retry-After"]) > 0
    monkeypatch.undo()
    assert not User.objects.filter(username="dropped").exists()
    # The next request gets a fresh connection and works.
    again = api.post(
        "/api/users/",
        {"username": "dropped", "email": "dropped@example.com", "password": "correct-horse-9"},
        format="json",
    )
    assert again.status_code == 201, again.content
