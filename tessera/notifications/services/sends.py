"""The send ledger (`SendRecord`) and how senders write to a database that may drop them.

`send_begin` runs before a message is handed to a provider, in its own committed transaction:
it returns the ledger row of (event, channel, recipient), created in state `sending`, or the
existing one. A row already `sent` means the message went out before (a sender that lost its
database connection after sending, or a second row for the same recipient): the caller records
the row as sent without sending again. A row found `sending` means an earlier sender died
between handing the message over and recording it: nobody can know whether it went out, so it
is sent again with the same idempotency key (the email's Message-ID, the webhook's
`Idempotency-Key`), which the receiver can deduplicate on, and a warning is logged.

`durably(fn)` runs a short database step again after a dropped connection (PostgreSQL
restarted, a connection terminated): the connection is closed and reopened and the step
retried with a backoff, for up to about `RECORD_RETRY_SECONDS`, well inside the lease of a
claimed row, so the outcome of a send that went out is not lost to a short outage.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction

from ..idempotency import recipient_digest
from ..models import SendRecord, SendState

logger = logging.getLogger(__name__)


RECORD_RETRY_SECONDS = 60.0
FIRST_PAUSE_SECONDS = 0.5
MAX_PAUSE_SECONDS = 5.0


def durably[T](step: Callable[[], T], *, what: str) -> T:
    """Run `step` (one short transaction, not inside an open one) until it gets through a
    dropped connection, or re-raise after about `RECORD_RETRY_SECONDS`."""
    pause = FIRST_PAUSE_SECONDS
    deadline = time.monotonic() + RECORD_RETRY_SECONDS
    while True:
        try:
            return step()
        except (OperationalError, InterfaceError) as exc:
            if connection.in_atomic_block or not _connection_lost():
                raise  # not a dropped connection (or not ours to reopen): a real error
            if time.monotonic() + pause > deadline:
                raise
            logger.warning(
                "database unavailable while %s (%s); retrying in %.1fs", what, exc, pause
            )
            connection.close()  # the next query opens a fresh connection
            time.sleep(pause)
            pause = min(pause * 2, MAX_PAUSE_SECONDS)


def _connection_lost() -> bool:
    return connection.connection is None or not connection.is_usable()


def send_begin(
    *, event_id: UUID, channel: str, recipient: str, idempotency_key: str, now: datetime
) -> SendRecord:
    """The ledger row of this send, `sending` if it was not yet sent (see the module docstring)."""
    digest = recipient_digest(recipient)
    with transaction.atomic():
        record = (
            SendRecord.objects.select_for_update()
            .filter(event_id=event_id, channel=channel, recipient_digest=digest)
            .first()
        )
        if record is None:
            try:
                with transaction.atomic():
                    return SendRecord.objects.create(
                        event_id=event_id,
                        channel=channel,
                        recipient_digest=digest,
                        idempotency_key=idempotency_key,
                        state=SendState.SENDING,
                        started_at=now,
                    )
            except IntegrityError:  # a parallel sender created it first
                record = SendRecord.objects.select_for_update().get(
                    event_id=event_id, channel=channel, recipient_digest=digest
                )
        if record.state == SendState.SENT:
            return record
        if record.state == SendState.SENDING:
            logger.warning(
                "%s send of event %s was handed over at %s but never recorded; sending again "
                "with the same idempotency key %s",
                channel,
                event_id,
                record.started_at.isoformat(),
                record.idempotency_key,
            )
        SendRecord.objects.filter(pk=record.pk).update(
            state=SendState.SENDING, started_at=now, attempts=record.attempts + 1
        )
        record.state = SendState.SENDING
        return record


def send_finish(record: SendRecord, *, sent: bool, now: datetime, provider_ref: str = "") -> None:
    """Write the outcome into the ledger; the caller holds the transaction that also records
    the row's outcome, so both are written or neither."""
    if sent:
        SendRecord.objects.filter(pk=record.pk).update(
            state=SendState.SENT, sent_at=now, provider_ref=provider_ref[:128]
        )
    else:
        SendRecord.objects.filter(pk=record.pk, state=SendState.SENDING).update(
            state=SendState.FAILED
        )
