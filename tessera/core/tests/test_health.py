import pytest
from django.db import DatabaseError


@pytest.mark.django_db
def test_healthz_and_readyz(api):
    assert api.get("/healthz").json() == {"status": "ok"}
    ready = api.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "database": "ok"}


def test_readyz_is_503_when_the_database_is_unreachable(api, monkeypatch):
    from tessera.core import health

    class Broken:
        def cursor(self):
            raise DatabaseError("connection refused")

    monkeypatch.setattr(health, "connection", Broken())
    response = api.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_probes_only_answer_get(api):
    assert api.post("/healthz").status_code == 405
