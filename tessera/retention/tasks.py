"""Celery tasks of data retention: safe to run twice (the second run finds nothing to do)."""

from __future__ import annotations

from celery import shared_task

from .services.apply import retention_apply


@shared_task(name="retention.apply", ignore_result=True)
def retention_apply_task() -> int:
    """Beat, daily: apply DATA_RETENTION_POLICY. Returns how many bookings it handled."""
    return retention_apply().processed
