"""Until when a pending booking keeps what it holds, for every kind of booking."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings


def approval_deadline(start: datetime, now: datetime) -> datetime:
    """Until when a booking that awaits its owner's approval keeps its place (then it
    expires): `PENDING_APPROVAL_HOURS`, at most until its start."""
    return min(start, now + timedelta(hours=settings.TESSERA["PENDING_APPROVAL_HOURS"]))
