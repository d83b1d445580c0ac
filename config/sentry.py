"""Sentry error reporting and tracing, switched on by `SENTRY_DSN` (see settings)."""

from __future__ import annotations

from typing import Any


def init_sentry(
    *,
    dsn: str,
    environment: str,
    release: str | None = None,
    traces_sample_rate: float = 0.0,
    **options: Any,
) -> None:
    """Report errors of the web processes (Django) and the workers and beat (Celery).

    Personal data (addresses, user names) is not sent: `send_default_pii` stays off.
    """
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import LoggingIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,
        integrations=[
            DjangoIntegration(),
            CeleryIntegration(monitor_beat_tasks=False),
            LoggingIntegration(),
        ],
        **options,
    )
