"""The throwaway database every benchmark runs on (imported by the bench scripts, which run as
`python bench/<name>.py`, so this folder is on the path)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator


@contextlib.contextmanager
def throwaway_database(sqlite: bool, run_id: str) -> Iterator[str]:
    """Yield the URL of a new, empty database; drop it afterwards.

    SQLite: a file in a temporary folder. PostgreSQL: `tessera_<run_id>` created through
    BENCH_ADMIN_URL (default: the local server as postgres) and dropped WITH (FORCE).
    """
    if sqlite:
        with tempfile.TemporaryDirectory(prefix="tessera-bench-") as folder:
            yield f"sqlite:///{folder}/bench.sqlite3"
        return
    import psycopg

    admin = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    name = f"tessera_{run_id}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
