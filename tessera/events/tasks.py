"""Celery tasks of events (on the beat schedule); idempotent."""

from __future__ import annotations

from celery import shared_task

from .services.holds import hold_purge_expired


@shared_task(name="events.purge_expired_holds", ignore_result=True)
def events_purge_expired_holds_task() -> int:
    """Beat, every 5 minutes: free the seat claims of expired holds, delete old holds (the
    service `manage.py purge_expired_holds` runs). Expiry itself never waits for it."""
    result = hold_purge_expired()
    return result.claims_freed + result.holds_deleted
