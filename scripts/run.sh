#!/usr/bin/env bash
# `make run`: the whole system on the embedded default (SQLite, no external service).
# Creates .venv, installs, writes .env on first start, migrates, loads the demo data, creates
# an admin account and prints its credentials, then serves on http://127.0.0.1:${PORT:-8000}
# with a Celery worker and the beat scheduler beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh

if [ ! -f .env ]; then
  secret=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')
  sed -e "s|^DEBUG=.*|DEBUG=true|" -e "s|^SECRET_KEY=.*|SECRET_KEY=${secret}|" \
    .env.example > .env
  echo "==> wrote .env (DEBUG=true, a new SECRET_KEY); edit it to change settings"
fi

py=.venv/bin/python
echo "==> migrating"
$py manage.py migrate --noinput -v 0
$py manage.py collectstatic --noinput -v 0
echo "==> loading demo data"
$py manage.py seed_demo

port=${PORT:-8000}
host=127.0.0.1
cat <<TEXT

Tessera is starting on http://$host:$port
  Pages                  http://$host:$port/  (browse and book; English or Spanish)
  Sign in                http://$host:$port/account/sign-in/  (demo: alice / tessera-demo-2026)
  My bookings            http://$host:$port/bookings/
  Provider dashboard     http://$host:$port/dashboard/  (demo: bruno / tessera-demo-2026)
  API docs (Swagger UI)  http://$host:$port/api/docs/
  API docs (Redoc)       http://$host:$port/api/docs/redoc/
  OpenAPI schema         http://$host:$port/api/schema/
  Admin                  http://$host:$port/admin/
  Health                 http://$host:$port/healthz  http://$host:$port/readyz
  Outgoing email         $(pwd)/data/mail/ (files; SMS/WhatsApp are logged)
Web, worker and scheduler are running. Press Ctrl-C to stop.

TEXT
# Background work (Celery worker + beat, on the broker-less filesystem transport unless
# CELERY_BROKER_URL says otherwise) runs beside the web server and stops with it.
scripts/worker.sh &
worker_pid=$!
trap 'kill "$worker_pid" 2>/dev/null; wait "$worker_pid" 2>/dev/null' EXIT INT TERM
.venv/bin/gunicorn config.wsgi:application --bind "$host:$port" \
  --workers "${WEB_CONCURRENCY:-2}" --threads 4 --access-logfile - --log-level warning
