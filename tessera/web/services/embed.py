"""Embedding an owner's booking page on their own site: the allowed origins and the
`frame-ancestors` policy built from them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from tessera.core.errors import PermissionDenied, ValidationFailed

from ..models import EmbedSettings

MAX_ORIGINS = 20
_url = URLValidator(schemes=["https", "http"])


def origin_clean(value: str) -> str:
    """`https://shop.example[:port]`, lower-cased, or `ValidationFailed` (`invalid_origin`).

    An origin is a scheme, a host and an optional port: no path, query, user or wildcard.
    Plain `http` is accepted only for `localhost` / `127.0.0.1` (a site under development).
    """
    raw = value.strip().rstrip("/")
    parts = urlsplit(raw)
    try:
        _url(raw)
    except ValidationError as exc:
        raise _invalid(value) from exc
    if parts.path or parts.query or parts.fragment or "@" in parts.netloc or "*" in raw:
        raise _invalid(value)
    host = (parts.hostname or "").lower()
    if parts.scheme == "http" and host not in ("localhost", "127.0.0.1"):
        raise _invalid(value)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"


def _invalid(value: str) -> ValidationFailed:
    return ValidationFailed(
        f"{value!r} is not a site address such as https://shop.example.",
        code="invalid_origin",
        field="allowed_origins",
    )


def origins_clean(values: Iterable[str]) -> list[str]:
    """Each origin cleaned, duplicates dropped, at most `MAX_ORIGINS` (`too_many_origins`)."""
    cleaned = list(dict.fromkeys(origin_clean(v) for v in values if v.strip()))
    if len(cleaned) > MAX_ORIGINS:
        raise ValidationFailed(
            f"At most {MAX_ORIGINS} sites.", code="too_many_origins", field="allowed_origins"
        )
    return cleaned


def embed_origins_set(*, owner: Any, actor: Any, origins: Iterable[str]) -> EmbedSettings:
    """Replace the sites allowed to frame `owner`'s booking pages (the owner or staff)."""
    if actor.pk != owner.pk and not getattr(actor, "is_staff", False):
        raise PermissionDenied("Only the owner or staff may change where their pages appear.")
    cleaned = origins_clean(origins)
    settings_row, _ = EmbedSettings.objects.update_or_create(
        owner=owner, defaults={"allowed_origins": cleaned}
    )
    return settings_row


def embed_origins_of(*, owner_id: int) -> list[str]:
    row = EmbedSettings.objects.filter(owner_id=owner_id).only("allowed_origins").first()
    return list(row.allowed_origins) if row is not None else []


def frame_ancestors(origins: Iterable[str]) -> str:
    """The CSP directive: this site and the owner's allowed sites, nobody else."""
    return " ".join(["frame-ancestors", "'self'", *origins])
