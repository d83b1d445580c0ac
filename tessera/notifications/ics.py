"""iCalendar (RFC 5545) files for booking emails, written with the standard library.

One VEVENT per booking; its UID is stable per booking, so a calendar replaces the entry when
the booking changes (higher SEQUENCE) and removes it on METHOD:CANCEL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return line
    parts: list[str] = []
    current = b""
    limit = 75
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > limit:
            parts.append(current.decode("utf-8"))
            current = b""
            limit = 74  # continuation lines start with a space
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _utc(value: str | datetime) -> str:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def booking_ics(
    *,
    event: dict[str, Any],
    method: str,
    domain: str,
    organizer_email: str,
    stamp: datetime,
) -> str:
    """The calendar file of a booking event (`method`: REQUEST, PUBLISH or CANCEL)."""
    cancelled = method == "CANCEL"
    title = event.get("title") or f"Booking {event['reference']}"
    description = f"Booking reference {event['reference']}."
    if event.get("url"):
        description += f" {event['url']}"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Tessera//Bookings//EN",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        "BEGIN:VEVENT",
        f"UID:booking-{event['reference']}@{domain}",
        f"SEQUENCE:{int(event.get('sequence', 0))}",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART:{_utc(event['starts_at'])}",
        f"DTEND:{_utc(event['ends_at'])}",
        f"SUMMARY:{_escape(title)}",
        f"DESCRIPTION:{_escape(description)}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        f"ORGANIZER:mailto:{organizer_email}",
    ]
    if event.get("location"):
        lines.append(f"LOCATION:{_escape(str(event['location']))}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
