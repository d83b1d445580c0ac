"""The send ledger (`SendRecord`) and how senders write to a database that may drop them.

`sends_begin` runs before a claimed batch is handed to providers, in its own committed
transaction: it returns the ledger row of each (event, channel, recipient), created in state
`sending`, or the existing one. A row already `sent` means the message went out before (a sender that lost its
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
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F

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


SendKey = tuple[UUID, str, str]  # event id, channel, recipient digest


@dataclass(frozen=True)
class SendRequest:
    event_id: UUID
    channel: str
    recipient: str
    idempotency_key: str

    @property
    def key(self) -> SendKey:
        return (self.event_id, self.channel, recipient_digest(self.recipient))


def sends_begin(requests: list[SendRequest], *, now: datetime) -> dict[SendKey, SendRecord]:
    """The ledger rows of a claimed batch, in one transaction (a few statements whatever its
    size): missing ones are created `sending`; those not yet sent go (back) to `sending`; those
    `sent` are returned as they are (see the module docstring). Rows of one batch that share a
    key share one record: once the first is sent, the others see it `sent`."""
    wanted = {request.key: request for request in requests}
    if not wanted:
        return {}
    with transaction.atomic():
        existing = _records(wanted, lock=True)
        SendRecord.objects.bulk_create(
            [
                SendRecord(
                    event_id=key[0],
                    channel=key[1],
                    recipient_digest=key[2],
                    idempotency_key=request.idempotency_key,
                    state=SendState.SENDING,
                    started_at=now,
                )
                for key, request in wanted.items()
                if key not in existing
            ],
            ignore_conflicts=True,  # a parallel sender created it first
        )
        reopened = [record for record in existing.values() if record.state != SendState.SENT]
        for record in reopened:
            if record.state == SendState.SENDING:
                logger.warning(
                    "%s send of event %s was handed over at %s but never recorded; sending "
                    "again with the same idempotency key %s",
                    record.channel,
                    record.event_id,
                    record.started_at.isoformat(),
                    record.idempotency_key,
                )
        if reopened:
            SendRecord.objects.filter(pk__in=[r.pk for r in reopened]).update(
                state=SendState.SENDING, started_at=now, attempts=F("attempts") + 1
            )
        return _records(wanted, lock=False)


def _records(wanted: dict[SendKey, SendRequest], *, lock: bool) -> dict[SendKey, SendRecord]:
    rows = SendRecord.objects.filter(
        event_id__in={key[0] for key in wanted},
        channel__in={key[1] for key in wanted},
        recipient_digest__in={key[2] for key in wanted},
    ).order_by("pk")
    if lock:
        rows = rows.select_for_update()
    found = {(r.event_id, r.channel, r.recipient_digest): r for r in rows}
    return {key: record for key, record in found.items() if key in wanted}


def send_finish(record: SendRecord, *, sent: bool, now: datetime, provider_ref: str = "") -> None:
    """Write the outcome into the ledger; the caller holds the transaction that also records
    the row's outcome, so both are written or neither."""
    if sent:
        SendRecord.objects.filter(pk=record.pk).update(
            state=SendState.SENT, sent_at=now, provider_ref=provider_ref[:128]
        )
        record.state, record.provider_ref = SendState.SENT, provider_ref[:128]
    else:
        SendRecord.objects.filter(pk=record.pk, state=SendState.SENDING).update(
            state=SendState.FAILED
        )
