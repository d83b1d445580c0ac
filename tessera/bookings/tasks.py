"""Celery tasks of bookings: each polls due times in the database and calls one service; each
is idempotent (a second run finds nothing due). On the beat schedule (`CELERY_BEAT_SCHEDULE`)."""

from __future__ import annotations

from celery import shared_task

from .services.timed import bookings_advance_due, bookings_remind_due


@shared_task(name="bookings.advance_due", ignore_result=True)
def bookings_advance_due_task() -> dict[str, int]:
    """Beat, every TIMED_POLL_SECONDS: expire, complete and start the bookings that are due."""
    return bookings_advance_due()


@shared_task(name="bookings.remind_due", ignore_result=True)
def bookings_remind_due_task() -> int:
    """Beat, every TIMED_POLL_SECONDS: publish the reminders that are due."""
    return bookings_remind_due()
