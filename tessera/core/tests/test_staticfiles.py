"""With DEBUG off, pages that link static files render whether or not they were collected."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "tessera.core.staticfiles.ForgivingManifestStaticFilesStorage"},
}


def docs(tmp_path):
    with override_settings(DEBUG=False, STORAGES=STORAGE, STATIC_ROOT=tmp_path / "static"):
        return Client().get("/api/docs/", secure=True)


def test_api_docs_render_without_collectstatic(tmp_path, caplog):
    response = docs(tmp_path)

    assert response.status_code == 200
    assert b"swagger-ui" in response.content
    assert "is not collected" in caplog.text


def test_api_docs_link_the_hashed_files_once_collected(tmp_path):
    with override_settings(DEBUG=False, STORAGES=STORAGE, STATIC_ROOT=tmp_path / "static"):
        call_command("collectstatic", "--noinput", "-v", "0")
    response = docs(tmp_path)

    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui-dist/swagger-ui.css" not in html  # the hashed name is linked
    assert "swagger-ui-dist/swagger-ui." in html
