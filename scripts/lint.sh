#!/usr/bin/env bash
# Lint, format, types, migrations and the OpenAPI schema. Fails on the first problem.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
export DJANGO_SETTINGS_MODULE=config.settings.test
echo "==> ruff check";   .venv/bin/ruff check .
echo "==> ruff format";  .venv/bin/ruff format --check .
echo "==> imports";      PYTHONPATH=. .venv/bin/lint-imports --no-logo --no-cache  # pyproject
echo "==> private ORM";  scripts/private_orm_check.sh
echo "==> mypy";         .venv/bin/mypy config tessera tests
echo "==> migrations";   .venv/bin/python manage.py makemigrations --check --dry-run
echo "==> migration linter"; scripts/lint-migrations.sh
echo "==> openapi";      .venv/bin/python manage.py spectacular --validate --fail-on-warn \
                           --file /dev/null
echo "lint: all clean"
