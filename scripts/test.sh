#!/usr/bin/env bash
# `make test`: installs what the tests need and runs the whole suite.
# SQLite by default; DATABASE_URL=postgres://... runs it on PostgreSQL (the suite creates and
# drops its own test database). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
# The browser tests (marker `browser`) drive Debian's Chromium through Playwright.
scripts/ensure-chromium.sh
exec .venv/bin/python -m pytest "$@"
