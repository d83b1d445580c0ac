"""A person's own notification preferences."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from tessera.core.errors import ValidationFailed

from ..errors import PhoneRequired
from ..events import NOTIFIED_EVENTS
from ..models import NotificationPreference

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_FIELDS = (
    "email_enabled",
    "sms_enabled",
    "whatsapp_enabled",
    "phone_number",
    "language",
    "opted_out",
    "muted_events",
)


def preference_update(*, user: Any, **changes: Any) -> NotificationPreference:
    """Change some of the fields; the others keep their values (or the defaults)."""
    unknown = set(changes) - set(_FIELDS)
    if unknown:
        raise ValidationFailed(f"Cannot change {', '.join(sorted(unknown))}.")
    phone = changes.get("phone_number")
    if phone and not E164.match(phone):
        raise ValidationFailed(
            "Give the number in international form, e.g. +34600111222.",
            code="invalid_phone",
            field="phone_number",
        )
    language = changes.get("language")
    if language and language not in settings.NOTIFICATIONS["LANGUAGES"]:
        raise ValidationFailed(
            f"Notifications are written in {', '.join(settings.NOTIFICATIONS['LANGUAGES'])}.",
            code="invalid_choice",
            field="language",
        )
    for index, event_type in enumerate(changes.get("muted_events") or []):
        if event_type not in NOTIFIED_EVENTS:
            raise ValidationFailed(
                f"{event_type!r} is not an event people are told about.",
                code="invalid_event_type",
                field=f"muted_events.{index}",
            )
    if "muted_events" in changes:
        changes["muted_events"] = sorted(set(changes["muted_events"]))
    with transaction.atomic():
        pref, _ = NotificationPreference.objects.select_for_update().get_or_create(user=user)
        for name, value in changes.items():
            setattr(pref, name, value)
        if (pref.sms_enabled or pref.whatsapp_enabled) and not pref.phone_number:
            raise PhoneRequired(field="phone_number")
        try:
            with transaction.atomic():
                pref.save()
        except IntegrityError as exc:  # the database's check (notif_pref_text_needs_phone)
            raise PhoneRequired(field="phone_number") from exc
    return pref
