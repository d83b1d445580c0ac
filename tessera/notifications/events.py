"""The events Tessera publishes, and the shape of a booking event.

Booking services publish a *booking event*: a plain dict (documented in
`docs/notifications.md`) that is the outbox payload, the `data` of every webhook and the
context of every notification template. `booking_event_clean` checks it when it is published,
so a malformed event fails in the caller's transaction, not later in a worker. Walk-in queues
publish *walk-in events* the same way (`walkin_event_clean`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tessera.core.timezones import is_iana_zone

from .errors import InvalidEvent

EVENT_TYPE_RE = re.compile(r"^[a-z][a-z_]*(\.[a-z][a-z_]*)+$")


@dataclass(frozen=True)
class EventSpec:
    """`notify`: people are told (templates exist); `ics`: the METHOD of the calendar file
    attached to the email, or None for no attachment; `customer_only`: see below."""

    notify: bool = True
    ics: str | None = None
    # Only the customer is told, not `notify_user_ids` (a provider need not hear that each
    # of their bookings started).
    customer_only: bool = False


BOOKING_EVENTS: dict[str, EventSpec] = {
    "booking.created": EventSpec(),
    "booking.confirmed": EventSpec(ics="REQUEST"),
    "booking.changed": EventSpec(ics="REQUEST"),
    "booking.cancelled": EventSpec(ics="CANCEL"),
    "booking.declined": EventSpec(),
    "booking.expired": EventSpec(),
    "booking.waitlisted": EventSpec(),
    "booking.promoted": EventSpec(),
    "booking.reminder": EventSpec(),
    "booking.started": EventSpec(customer_only=True),
    "booking.completed": EventSpec(customer_only=True),
    "booking.no_show": EventSpec(notify=False),
}

# Events of a walk-in queue (not bookings): people are told too. Their shape is checked by
# `walkin_event_clean` (templates `<lang>/walkin_<name>.txt`).
WALKIN_EVENTS: dict[str, EventSpec] = {
    "walkin.joined": EventSpec(),
    "walkin.called": EventSpec(),
}

NOTIFIED_EVENTS = sorted(
    name for name, spec in {**BOOKING_EVENTS, **WALKIN_EVENTS}.items() if spec.notify
)


def event_spec(event_type: str) -> EventSpec | None:
    """How an event is told to people (None: an event for webhooks only)."""
    return BOOKING_EVENTS.get(event_type) or WALKIN_EVENTS.get(event_type)


_REQUIRED = {"reference": str, "customer_id": int, "starts_at": str, "ends_at": str}
_OPTIONAL = {
    "booking_id": int,
    "kind": str,
    "status": str,
    "timezone": str,
    "title": str,
    "location": str,
    "reason": str,
    "confirm_deadline": str,
    "position": int,
    "quantity": int,
    "sequence": int,
    "price": str,
    "currency": str,
    "notify_user_ids": list,
    "url": str,
}
_DATETIMES = ("starts_at", "ends_at", "confirm_deadline", "estimated_at")

_WALKIN_REQUIRED = {"walkin_id": int, "customer_id": int, "title": str}
_WALKIN_OPTIONAL = {
    "resource_id": int,
    "position": int,
    "wait_minutes": int,
    "estimated_at": str,
    "timezone": str,
    "notify_user_ids": list,
}


def event_type_check(event_type: str) -> None:
    if not isinstance(event_type, str) or not EVENT_TYPE_RE.match(event_type):
        raise InvalidEvent(
            f"{event_type!r} is not an event type (like `booking.confirmed`).", field="type"
        )


def _iso(value: Any, name: str) -> str:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise InvalidEvent(f"{name} is not an ISO 8601 time.", field=name) from None
    else:
        raise InvalidEvent(f"{name} must be a time.", field=name)
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise InvalidEvent(f"{name} needs a UTC offset.", field=name)
    return parsed.isoformat()


def _checked(
    event: Mapping[str, Any], known: Mapping[str, dict[str, Any]], required: Mapping[str, type]
) -> dict[str, Any]:
    """The event with its type checked against `known`, its documented fields checked (times as
    ISO strings), or `InvalidEvent` naming the field."""
    if not isinstance(event, Mapping):
        raise InvalidEvent("An event is a dict.")
    event_type = event.get("type")
    event_type_check(str(event_type) if event_type is not None else "")
    if event_type not in known:
        raise InvalidEvent(f"Unknown event {event_type!r}.", field="type")
    clean = dict(event)
    for name, kind in known[str(event_type)].items():
        if name not in clean or (name not in required and clean[name] is None):
            if name in required:
                raise InvalidEvent(f"{name} is required.", field=name)
            clean.pop(name, None)
            continue
        if name in _DATETIMES:
            clean[name] = _iso(clean[name], name)
        elif kind is int and (isinstance(clean[name], bool) or not isinstance(clean[name], int)):
            raise InvalidEvent(f"{name} must be an integer.", field=name)
        elif kind is not int and not isinstance(clean[name], kind):
            raise InvalidEvent(f"{name} must be a {kind.__name__}.", field=name)
    ids = clean.get("notify_user_ids", [])
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        raise InvalidEvent("notify_user_ids must be a list of user ids.", field="notify_user_ids")
    if "timezone" in clean and not is_iana_zone(clean["timezone"]):
        raise InvalidEvent(f"{clean['timezone']!r} is not an IANA time zone.", field="timezone")
    return clean


_BOOKING_FIELDS = {**_REQUIRED, **_OPTIONAL}
_WALKIN_FIELDS = {**_WALKIN_REQUIRED, **_WALKIN_OPTIONAL}


def booking_event_clean(event: Mapping[str, Any]) -> dict[str, Any]:
    """The booking event with its times as ISO strings, or `InvalidEvent` naming the field.

    Keys beyond the documented ones are kept (templates and webhooks may use them), as long as
    they are JSON values.
    """
    clean = _checked(event, dict.fromkeys(BOOKING_EVENTS, _BOOKING_FIELDS), _REQUIRED)
    if datetime.fromisoformat(clean["ends_at"]) <= datetime.fromisoformat(clean["starts_at"]):
        raise InvalidEvent("ends_at must be after starts_at.", field="ends_at")
    return clean


def walkin_event_clean(event: Mapping[str, Any]) -> dict[str, Any]:
    """A walk-in event (`walkin.joined`, `walkin.called`): `walkin_id`, `customer_id` (who is
    told) and `title` (the queue's name) required; `position` (place in line), `wait_minutes`,
    `estimated_at` (when their turn should come), `timezone`, `resource_id` optional."""
    return _checked(event, dict.fromkeys(WALKIN_EVENTS, _WALKIN_FIELDS), _WALKIN_REQUIRED)
