"""Notification texts: Django templates per event type and language.

`templates/notifications/<language>/<event>.txt` is the email: its first line is the subject,
the rest the body. `<event>.short.txt` is the text of an SMS or WhatsApp message. `<event>` is
the name after `booking.` (`confirmed`), or `<prefix>_<name>` for other events
(`walkin_joined`). A language
without a template falls back to English.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string

FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def language_for(preferred: str) -> str:
    """The language to write in: the person's choice, else the site's, else English."""
    available = settings.NOTIFICATIONS["LANGUAGES"]
    for candidate in (preferred, settings.LANGUAGE_CODE.split("-")[0]):
        if candidate and candidate in available:
            return candidate
    return FALLBACK_LANGUAGE


def _local(value: str | None, zone: ZoneInfo) -> str:
    if not value:
        return ""
    moment = datetime.fromisoformat(value).astimezone(zone)
    return moment.strftime("%Y-%m-%d %H:%M ") + (moment.tzname() or "")


def template_context(event: dict[str, Any], *, recipient_name: str) -> dict[str, Any]:
    zone = ZoneInfo(event.get("timezone") or "UTC")
    return {
        **event,
        "event": event,
        "name": recipient_name,
        "title": event.get("title") or f"booking {event['reference']}",
        "starts_local": _local(event.get("starts_at"), zone),
        "ends_local": _local(event.get("ends_at"), zone),
        "deadline_local": _local(event.get("confirm_deadline"), zone),
        "estimated_local": _local(event.get("estimated_at"), zone),
    }


def _render(name: str, language: str, context: dict[str, Any]) -> str:
    try:
        return render_to_string(f"notifications/{language}/{name}", context)
    except TemplateDoesNotExist:
        if language == FALLBACK_LANGUAGE:
            raise
        return render_to_string(f"notifications/{FALLBACK_LANGUAGE}/{name}", context)


def _template_name(event_type: str) -> str:
    """`booking.confirmed` -> `confirmed`; other events keep their prefix: `walkin_joined`."""
    prefix, name = event_type.split(".", 1)
    return name if prefix == "booking" else f"{prefix}_{name}"


def render_email(event_type: str, language: str, context: dict[str, Any]) -> Rendered:
    text = _render(f"{_template_name(event_type)}.txt", language, context).strip()
    subject, _, body = text.partition("\n")
    return Rendered(subject=subject.strip()[:255], body=body.strip() + "\n")


def render_short(event_type: str, language: str, context: dict[str, Any]) -> str:
    text = _render(f"{_template_name(event_type)}.short.txt", language, context)
    return " ".join(text.split())
