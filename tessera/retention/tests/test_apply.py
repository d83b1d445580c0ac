"""The retention job: what each action does, what it never touches, idempotency, batching,
the Celery task and the management command."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from tessera.bookings.models import Booking, BookingStatusChange, TimeAllocation
from tessera.retention.models import ArchivedBooking
from tessera.retention.policy import RetentionPolicy, retention_policy
from tessera.retention.services.apply import retention_apply
from tessera.retention.services.scrub import ANONYMOUS_USERNAME
from tessera.retention.tasks import retention_apply_task

pytestmark = pytest.mark.django_db


def policy(action: str, batch_size: int = 500) -> RetentionPolicy:
    return RetentionPolicy(after_days=730, action=action, batch_size=batch_size)  # type: ignore[arg-type]


@pytest.fixture
def spread(make_booking: Any) -> dict[str, Any]:
    """Old finished bookings of each final status, plus those the job must leave alone."""
    return {
        "old": [
            make_booking(800, s)
            for s in ("completed", "cancelled", "declined", "expired", "no_show")
        ],
        "recent": make_booking(100, "completed"),
        "old_but_live": make_booking(800, "confirmed"),
        "old_waitlisted": make_booking(800, "waitlisted"),
    }


def _untouched(spread: dict[str, Any]) -> None:
    for key in ("recent", "old_but_live", "old_waitlisted"):
        booking = Booking.objects.get(pk=spread[key].pk)
        assert booking.notes == "allergic" and booking.customer_id == spread[key].customer_id


def test_archive_moves_old_finished_bookings_to_the_archive(spread: dict[str, Any]) -> None:
    old_ids = sorted(b.pk for b in spread["old"])

    result = retention_apply(policy=policy("archive"))

    assert result.processed == 5
    assert not Booking.objects.filter(pk__in=old_ids).exists()
    assert not TimeAllocation.objects.filter(booking_id__in=old_ids).exists()
    archived = ArchivedBooking.objects.order_by("booking_id")
    assert [a.booking_id for a in archived] == old_ids
    snap = archived[0].snapshot
    assert snap["booking"]["notes"] == "allergic" and snap["booking"]["price"] == "25.00"
    assert snap["allocations"][0]["resource__name"] == "Chair"
    assert snap["history"][0]["to_status"] == "completed"
    _untouched(spread)


def test_anonymise_scrubs_personal_data_and_keeps_statistics(
    spread: dict[str, Any], customer: Any
) -> None:
    old_ids = [b.pk for b in spread["old"]]

    assert retention_apply(policy=policy("anonymise")).processed == 5

    for booking in Booking.objects.filter(pk__in=old_ids).select_related("customer"):
        assert booking.customer.username == ANONYMOUS_USERNAME
        assert booking.notes == "" and booking.cancel_reason == ""
        assert booking.price is not None and booking.allocations.count() == 1  # stats stay
    history = BookingStatusChange.objects.filter(booking_id__in=old_ids)
    assert set(history.values_list("actor", "reason")) == {(None, "")}
    assert set(history.values_list("to_status", flat=True)) == {
        "completed",
        "cancelled",
        "declined",
        "expired",
        "no_show",
    }
    _untouched(spread)
    customer.refresh_from_db()
    assert customer.is_active  # the person is not erased: only their old bookings are anonymous


def test_delete_removes_them_and_what_hangs_off_them(spread: dict[str, Any]) -> None:
    old_ids = [b.pk for b in spread["old"]]
    assert retention_apply(policy=policy("delete")).processed == 5
    assert not Booking.objects.filter(pk__in=old_ids).exists()
    assert not BookingStatusChange.objects.filter(booking_id__in=old_ids).exists()
    assert not ArchivedBooking.objects.exists()
    _untouched(spread)


@pytest.mark.parametrize("action", ["archive", "anonymise", "delete"])
def test_a_second_run_changes_nothing(spread: dict[str, Any], action: str) -> None:
    retention_apply(policy=policy(action))
    before = (
        list(Booking.objects.order_by("pk").values()),
        list(ArchivedBooking.objects.order_by("pk").values()),
    )
    assert retention_apply(policy=policy(action)).processed == 0
    after = (
        list(Booking.objects.order_by("pk").values()),
        list(ArchivedBooking.objects.order_by("pk").values()),
    )
    assert after == before


def test_batches_cover_everything(make_booking: Any) -> None:
    for _ in range(7):
        make_booking(800)
    seen: list[int] = []
    result = retention_apply(policy=policy("archive", batch_size=3), progress=seen.append)
    assert result.processed == 7 and seen == [3, 6, 7]
    assert ArchivedBooking.objects.count() == 7


def test_the_age_boundary(make_booking: Any) -> None:
    make_booking(730)  # ended exactly 730 days ago: not yet older than the policy
    make_booking(731)
    assert retention_apply(policy=policy("archive")).processed == 1


def test_action_none_does_nothing(spread: dict[str, Any]) -> None:
    assert retention_apply(policy=policy("none")).processed == 0
    assert Booking.objects.count() == 8


def test_a_bad_policy_is_refused(settings: Any) -> None:
    settings.DATA_RETENTION_POLICY = {"AFTER_DAYS": 30, "ACTION": "shred"}
    with pytest.raises(ImproperlyConfigured):
        retention_policy()
    settings.DATA_RETENTION_POLICY = {"AFTER_DAYS": 0, "ACTION": "archive"}
    with pytest.raises(ImproperlyConfigured):
        retention_policy()


def test_the_task_applies_the_configured_policy_and_is_on_the_beat(
    spread: dict[str, Any], settings: Any
) -> None:
    settings.DATA_RETENTION_POLICY = {"AFTER_DAYS": 730, "ACTION": "anonymise", "BATCH_SIZE": 2}
    assert retention_apply_task() == 5
    assert retention_apply_task() == 0
    assert settings.CELERY_BEAT_SCHEDULE["retention-apply"]["task"] == "retention.apply"


def test_the_command_shows_progress(make_booking: Any) -> None:
    for _ in range(5):
        make_booking(800)
    out = StringIO()
    call_command("retention_apply", "--action=archive", "--batch-size=2", stdout=out)
    text = out.getvalue()
    assert "5 due" in text and "2/5 (40%)" in text and "5/5 (100%)" in text
    assert "Done: 5 bookings archived." in text
    again = StringIO()
    call_command("retention_apply", "--action=archive", stdout=again)
    assert "0 due" in again.getvalue()


def test_the_command_dry_run_changes_nothing(make_booking: Any) -> None:
    make_booking(800)
    out = StringIO()
    call_command("retention_apply", "--action=delete", "--dry-run", stdout=out)
    assert "1 due" in out.getvalue() and Booking.objects.count() == 1
