"""`<id:...>` in the pages' URLs: a positive integer that fits a bigint; anything else is a 404
before any view or query runs (a huge number would overflow the database's integer)."""

from __future__ import annotations

BIGINT_MAX = 2**63 - 1


class IdConverter:
    regex = "[1-9][0-9]{0,18}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > BIGINT_MAX:
            raise ValueError("out of range")  # Django answers 404
        return number

    def to_url(self, value: int) -> str:
        return str(value)
