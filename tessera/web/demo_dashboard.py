"""Demo data of bruno's dashboard: bookings today and later this week on his resources (one
served earlier today, one to come, a request waiting for his approval) and a walk-in queue at
his chair (one being served, three waiting). Found again by notes and names, so loading twice
adds nothing. Called by `web.demo.load`."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TextIO

from tessera.accounts.models import User
from tessera.bookings.models import Booking
from tessera.bookings.selectors.availability import availability_slots
from tessera.bookings.services.create import booking_create_time
from tessera.bookings.services.records import booking_record_completed
from tessera.core.clock import utcnow
from tessera.core.errors import DomainError
from tessera.scheduling.models import Resource
from tessera.scheduling.selectors.times import zone
from tessera.walkins.models import WalkIn, WalkInStatus
from tessera.walkins.services import walkin_join, walkin_serve

SERVED_TODAY = "demo: served earlier today"
LATER_TODAY = "demo: later today"
THIS_WEEK = "demo: later this week"
REQUEST = "demo: a request to approve"
WALK_INS = ("Marta", "Rui", "Sofia")


def _free(resource: Resource, start: datetime, end: datetime, minutes: int) -> datetime | None:
    if end <= start:
        return None
    slots = availability_slots(
        resources=[resource],
        start=start,
        end=end,
        duration=timedelta(minutes=minutes),
        step=timedelta(minutes=30),
        now=utcnow(),
    )
    return slots[0].start if slots else None


def _end_of_local_day(resource: Resource, now: datetime) -> datetime:
    tz = zone(resource.timezone)
    tomorrow = now.astimezone(tz).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(0), tzinfo=tz)


def _book(resource: Resource, customer: User, note: str, start: datetime | None, out: int) -> int:
    if start is None:
        return out
    try:
        booking_create_time(actor=customer, resource_ids=[resource.pk], start=start, notes=note)
    except DomainError:
        return out
    return out + 1


def _bookings(bruno: User, diego: User) -> int:
    now = utcnow()
    court = Resource.objects.get(owner=bruno, name="Academy tennis court")
    chair = Resource.objects.get(owner=bruno, name__startswith="Bruno")
    band = Resource.objects.get(owner=bruno, name__startswith="The Night Owls")
    mine = Booking.objects.filter(customer=diego)
    made = 0
    local_midnight = _end_of_local_day(court, now) - timedelta(days=1)
    if not mine.filter(notes=SERVED_TODAY).exists() and now - timedelta(hours=1) > local_midnight:
        booking_record_completed(
            resource_id=court.pk,
            customer=diego,
            actor=bruno,
            start=now - timedelta(hours=1),
            end=now - timedelta(minutes=15),
            notes=SERVED_TODAY,
        )
        made += 1
    if not mine.filter(notes=LATER_TODAY).exists():
        start = _free(court, now, _end_of_local_day(court, now), 60)
        made = _book(court, diego, LATER_TODAY, start, made)
    if not mine.filter(notes=THIS_WEEK).exists():
        tomorrow = _end_of_local_day(chair, now)
        made = _book(
            chair, diego, THIS_WEEK, _free(chair, tomorrow, now + timedelta(days=7), 30), made
        )
    if not mine.filter(notes=REQUEST).exists():
        start = _free(band, now + timedelta(days=1), now + timedelta(days=7), 120)
        made = _book(band, diego, REQUEST, start, made)
    return made


def _walk_ins(bruno: User, diego: User) -> int:
    chair = Resource.objects.get(owner=bruno, name__startswith="Bruno")
    if WalkIn.objects.filter(resource=chair).exists():
        return 0
    walkin_join(resource=chair, actor=diego)
    for name in WALK_INS:
        walkin_join(resource=chair, actor=bruno, name=name)
    walkin_serve(resource=chair, actor=bruno)  # diego, first in line, is in the chair
    return WalkIn.objects.filter(resource=chair, status=WalkInStatus.WAITING).count()


def load(out: TextIO) -> None:
    bruno = User.objects.get(username="bruno")
    diego = User.objects.get(username="diego")
    made = _bookings(bruno, diego)
    waiting = _walk_ins(bruno, diego)
    out.write(
        f"  demo for bruno's dashboard: {made} new bookings, {waiting} new walk-ins waiting\n"
    )
