"""One rule recognises "busy, retry" (`tessera.core.locking`)."""

import pytest
from django.db import IntegrityError, OperationalError

from tessera.core.errors import LockTimeout
from tessera.core.locking import is_lock_failure, lock_failures_as_conflict


class _Driver(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__("driver error")
        self.sqlstate = sqlstate


def _raised(error: Exception, cause: Exception | None = None) -> Exception:
    try:
        raise error from cause
    except Exception as exc:
        return exc


@pytest.mark.parametrize("sqlstate", ["55P03", "40P01", "40001"])
def test_postgresql_lock_failures_by_sqlstate(sqlstate):
    assert is_lock_failure(_raised(OperationalError("x"), _Driver(sqlstate)))


@pytest.mark.parametrize(
    "message",
    [
        "database is locked",
        "canceling statement due to lock timeout",
        "deadlock detected",
        "could not obtain lock on row in relation",
    ],
)
def test_lock_failures_by_message(message):
    assert is_lock_failure(OperationalError(message))


def test_other_errors_are_not_lock_failures():
    assert not is_lock_failure(_raised(OperationalError("x"), _Driver("57014")))  # cancelled
    assert not is_lock_failure(IntegrityError("duplicate key"))
    assert not is_lock_failure(ValueError("database is locked"))


def test_the_block_turns_a_lock_failure_into_a_409_and_lets_others_pass():
    with pytest.raises(LockTimeout) as caught, lock_failures_as_conflict("Busy show."):
        raise OperationalError("database is locked")
    assert (caught.value.code, caught.value.status, str(caught.value)) == (
        "lock_timeout",
        409,
        "Busy show.",
    )
    with pytest.raises(OperationalError), lock_failures_as_conflict():
        raise OperationalError("disk I/O error")
