"""Embedding a booking page: frame-ancestors from the owner's allowed sites, the snippets and
the settings page, origin validation."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tessera.accounts.roles import Role
from tessera.core.errors import ValidationFailed
from tessera.web.models import EmbedSettings
from tessera.web.services.embed import embed_origins_set, origin_clean, origins_clean

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def test_the_embed_page_may_be_framed_by_the_allowed_sites_only(client: Client, chair: Any) -> None:
    embed_origins_set(owner=chair.owner, actor=chair.owner, origins=["https://Cuts.example/"])
    response = client.get(f"/embed/resources/{chair.pk}/")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "frame-ancestors 'self' https://cuts.example"
    assert "X-Frame-Options" not in response
    body = response.content.decode()
    assert "Chair of Bruno" in body and 'target="_blank"' in body
    assert "<form" not in body  # no cookies in a third-party frame: links only
    other = client.get(f"/resources/{chair.pk}/")
    assert other["X-Frame-Options"] == "DENY"


def test_without_allowed_sites_only_tessera_may_frame_it(client: Client, chair: Any) -> None:
    response = client.get(f"/embed/resources/{chair.pk}/")
    assert response["Content-Security-Policy"] == "frame-ancestors 'self'"


def test_the_embed_of_a_guest_resource_links_to_the_guest_form(client: Client, chair: Any) -> None:
    chair.guest_booking = True
    chair.save(update_fields=["guest_booking"])
    body = client.get(f"/embed/resources/{chair.pk}/?month=2027-03&date=2027-03-02").content
    assert f"/resources/{chair.pk}/guest/?start=2027-03-02T09%3A00%3A00%2B00%3A00".encode() in body


def test_an_unknown_resource_is_a_clear_404(client: Client) -> None:
    response = client.get("/embed/resources/999999/")
    assert response.status_code == 404
    assert "Not available" in response.content.decode()


def test_the_owner_gets_snippets_and_sets_the_sites(chair: Any) -> None:
    owner = Client()
    owner.force_login(chair.owner)
    page = owner.get("/embed/")
    body = page.content.decode()
    assert f"/embed/resources/{chair.pk}/" in body
    assert f'data-resource="{chair.pk}"' in body and "/static/web/js/embed.js" in body
    saved = owner.post(
        "/embed/", {"allowed_origins": "https://cuts.example\nhttp://localhost:8080\n\n"}
    )
    assert saved.status_code == 302
    assert EmbedSettings.objects.get(owner=chair.owner).allowed_origins == [
        "https://cuts.example",
        "http://localhost:8080",
    ]
    refused = owner.post("/embed/", {"allowed_origins": "https://cuts.example/path"})
    assert refused.status_code == 400
    assert "https://shop.example" in refused.content.decode()
    assert EmbedSettings.objects.get(owner=chair.owner).allowed_origins == [
        "https://cuts.example",
        "http://localhost:8080",
    ]


def test_someone_without_resources_is_told_so(signed_in: Client) -> None:
    assert "nothing to embed" in signed_in.get("/embed/").content.decode()


def test_the_settings_page_needs_sign_in(client: Client) -> None:
    response = client.get("/embed/")
    assert response.status_code == 302 and "/account/sign-in/" in response["Location"]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("https://Shop.Example", "https://shop.example"),
        ("https://shop.example:8443/", "https://shop.example:8443"),
        ("http://localhost:8080", "http://localhost:8080"),
        ("http://127.0.0.1:3000", "http://127.0.0.1:3000"),
    ],
)
def test_origins_are_normalised(raw: str, clean: str) -> None:
    assert origin_clean(raw) == clean


@pytest.mark.parametrize(
    "raw",
    [
        "shop.example",
        "ftp://shop.example",
        "http://shop.example",  # plain http only for local development
        "https://shop.example/booking",
        "https://*.example",
        "https://user@shop.example",
        "https://shop.example?x=1",
        "'unsafe-inline'",
        "https://shop.example; script-src *",
    ],
)
def test_what_is_not_an_origin_is_refused(raw: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        origin_clean(raw)
    assert refused.value.code == "invalid_origin"


def test_at_most_twenty_sites() -> None:
    with pytest.raises(ValidationFailed) as refused:
        origins_clean([f"https://s{i}.example" for i in range(21)])
    assert refused.value.code == "too_many_origins"


def test_only_the_owner_or_staff_set_the_sites(chair: Any, make_user: Any) -> None:
    from tessera.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        embed_origins_set(owner=chair.owner, actor=make_user(Role.PROVIDER), origins=[])
    embed_origins_set(owner=chair.owner, actor=make_user(Role.STAFF), origins=["https://a.example"])
    assert EmbedSettings.objects.get(owner=chair.owner).allowed_origins == ["https://a.example"]
