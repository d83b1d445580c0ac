"""Backups of the database while the service keeps running.

- SQLite (the embedded default): SQLite's online backup API copies the database page by page
  inside one read transaction, so the copy is the database as it was when the copy began, while
  writers go on (WAL mode lets them). The copy is checked (`PRAGMA integrity_check`) and renamed
  into place only when whole.
- PostgreSQL: `pg_dump --format=custom`, which reads one snapshot (a repeatable-read
  transaction); `pg_restore` loads it. Point-in-time recovery is a server matter
  (docs/operations.md).

`database_backup` and `database_restore` are what `manage.py backup` and `restore` call.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import environ
from django.db import connections


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    vendor: str
    size_bytes: int


def database_backup(*, target: Path, alias: str = "default") -> BackupResult:
    """Write a consistent copy of database `alias` to `target` (replaced only when complete)."""
    connection = connections[alias]
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    try:
        if connection.vendor == "sqlite":
            _sqlite_copy(
                source=_sqlite_path(connection.settings_dict), target=partial, single_file=True
            )
        elif connection.vendor == "postgresql":
            _pg_run("pg_dump", ["--format=custom", f"--file={partial}"], connection.settings_dict)
        else:
            raise BackupError(f"no backup for the {connection.vendor} backend")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(path=target, vendor=connection.vendor, size_bytes=target.stat().st_size)


def database_restore(
    *, source: Path, target: str | None = None, force: bool = False, alias: str = "default"
) -> str:
    """Load the backup `source` into `target` and return where it went.

    `target`: for SQLite a file path, for PostgreSQL a database name on the same server or a
    `postgres://` URL; default the configured database (stop the service first). A target
    that already has tables is refused unless `force`.
    """
    if not source.is_file():
        raise BackupError(f"{source}: no such backup file")
    connection = connections[alias]
    if connection.vendor == "sqlite":
        path = Path(target) if target else _sqlite_path(connection.settings_dict)
        if not force and _sqlite_has_tables(path):
            raise BackupError(f"{path} already has tables: restore into a new file, or --force")
        _sqlite_check(source)
        _sqlite_copy(source=source, target=path, single_file=False)
        return str(path)
    if connection.vendor == "postgresql":
        settings = _pg_target(connection.settings_dict, target)
        if not force and _pg_has_tables(settings):
            raise BackupError(f"database {settings['NAME']} already has tables: use --force")
        options = ["--no-owner", "--no-acl", "--exit-on-error", "--single-transaction"]
        if force:
            options = ["--clean", "--if-exists", *options]
        _pg_run("pg_restore", [*options, str(source)], settings, database_flag=True)
        return str(settings["NAME"])
    raise BackupError(f"no restore for the {connection.vendor} backend")


# --- SQLite ------------------------------------------------------------------------------------


def _sqlite_path(settings_dict: dict[str, Any]) -> Path:
    name = str(settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise BackupError("an in-memory SQLite database has nothing on disk to back up")
    return Path(name)


def _sqlite_copy(*, source: Path, target: Path, single_file: bool) -> None:
    """Copy with the online backup API in one step: a snapshot as of the step's start.

    `single_file`: leave the copy in rollback-journal mode, one self-contained file (a backup);
    a restored database keeps the mode it had (the service sets WAL when it connects).
    """
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target, timeout=30)
    try:
        src.backup(dst)  # pages=-1: every page inside one read transaction
        if single_file:
            dst.execute("PRAGMA journal_mode=DELETE")
        _sqlite_integrity(dst, target)
    finally:
        dst.close()
        src.close()


def _sqlite_check(path: Path) -> None:
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            _sqlite_integrity(db, path)
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a SQLite database: {exc}") from exc


def _sqlite_integrity(db: sqlite3.Connection, path: Path) -> None:
    result = db.execute("PRAGMA integrity_check").fetchone()
    if not result or result[0] != "ok":
        raise BackupError(f"{path} failed its integrity check: {result}")


def _sqlite_has_tables(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return False
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()
    finally:
        db.close()
    return bool(row and row[0])


# --- PostgreSQL --------------------------------------------------------------------------------


def _pg_target(settings_dict: dict[str, Any], target: str | None) -> dict[str, Any]:
    if not target:
        return dict(settings_dict)
    if "://" in target:
        parsed = environ.Env.db_url_config(target)
        return {**settings_dict, **{k: v for k, v in parsed.items() if k != "ENGINE"}}
    return {**settings_dict, "NAME": target}


def _pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    env["PGDATABASE"] = str(settings_dict["NAME"])
    return env


def _pg_run(
    program: str, args: list[str], settings_dict: dict[str, Any], *, database_flag: bool = False
) -> None:
    binary = shutil.which(program)
    if binary is None:
        raise BackupError(f"{program} not found: install the PostgreSQL client (postgresql-client)")
    if database_flag:
        args = [f"--dbname={settings_dict['NAME']}", *args]
    result = subprocess.run(  # noqa: S603 - fixed program, arguments as a list
        [binary, *args], env=_pg_env(settings_dict), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{program} failed ({result.returncode}): {result.stderr.strip()}")


def _pg_has_tables(settings_dict: dict[str, Any]) -> bool:
    import psycopg

    env = _pg_env(settings_dict)
    params = {
        "host": env.get("PGHOST"),
        "port": env.get("PGPORT"),
        "user": env.get("PGUSER"),
        "password": env.get("PGPASSWORD"),
        "dbname": settings_dict["NAME"],
    }
    try:
        with psycopg.connect(**{k: v for k, v in params.items() if v}) as db:
            row = db.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
            ).fetchone()
    except psycopg.OperationalError as exc:
        raise BackupError(f"cannot reach database {settings_dict['NAME']}: {exc}") from exc
    return bool(row and row[0])
