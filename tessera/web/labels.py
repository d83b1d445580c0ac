"""Short, translatable names of the kinds of things people book, as the pages show them."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

RESOURCE_KINDS: dict[str, Promise] = {
    "provider": _("Appointment"),
    "room": _("Room"),
    "court": _("Court"),
    "equipment": _("Equipment"),
    "musician": _("Musician"),
    "venue": _("Venue"),
    "other": _("Other"),
}

BOOKING_STATUSES: dict[str, Promise] = {
    "waitlisted": _("On the waiting list"),
    "pending": _("Pending"),
    "confirmed": _("Confirmed"),
    "in_progress": _("In progress"),
    "completed": _("Completed"),
    "cancelled": _("Cancelled"),
    "declined": _("Declined"),
    "expired": _("Expired"),
    "no_show": _("No-show"),
}


def kind_label(kind: str) -> str:
    return str(RESOURCE_KINDS.get(kind, kind.replace("_", " ").capitalize()))


def status_label(status: str) -> str:
    return str(BOOKING_STATUSES.get(status, status.replace("_", " ").capitalize()))
