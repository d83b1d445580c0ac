#!/usr/bin/env bash
# The migration linter of `make lint`: refuses backward-incompatible migrations (dropped or
# renamed columns, NOT NULL without a database default, ...) unless they are named as deliberate
# in config/settings/test.py. It reads the SQL that PostgreSQL would run (SQLite rebuilds whole
# tables, which the linter cannot judge), so it needs a PostgreSQL server: DATABASE_URL's, else
# 127.0.0.1:5432. It uses an empty database of its own. Without a server it is skipped, except
# in CI (CI=true), where that fails.
set -euo pipefail
cd "$(dirname "$0")/.."
url=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
case "$url" in postgres*) ;; *) url=postgres://postgres@127.0.0.1:5432/postgres ;; esac
lint_url="${url%/*}/tessera_migration_lint"
if ! .venv/bin/python - "$url" <<'PY'
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True, connect_timeout=3) as db:
    if not db.execute("SELECT 1 FROM pg_database WHERE datname = 'tessera_migration_lint'").fetchone():
        try:
            db.execute("CREATE DATABASE tessera_migration_lint")
        except psycopg.errors.DuplicateDatabase:
            pass  # a parallel run made it
PY
then
  if [ "${CI:-}" = true ]; then echo "migration linter: no PostgreSQL at $url" >&2; exit 1; fi
  echo "migration linter: skipped (no PostgreSQL at $url)"
  exit 0
fi
LOG_LEVEL=WARNING DATABASE_URL=$lint_url .venv/bin/python manage.py lintmigrations -q ok ignore
