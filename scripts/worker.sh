#!/usr/bin/env bash
# Background work for one machine: a Celery worker and the beat scheduler, side by side.
# Embedded default: the filesystem broker in DATA_DIR/broker (no service needed). With
# CELERY_BROKER_URL set (Redis, RabbitMQ) it runs against that broker instead.
# Stops both when it is stopped (Ctrl-C, TERM) or when either of them exits.
#   WORKER_CONCURRENCY (default 2), WORKER_POOL (default threads), LOG_LEVEL.
# Production runs them as separate services instead: see docs/operations.md.
set -euo pipefail
cd "$(dirname "$0")/.."
celery=.venv/bin/celery
level=$(echo "${LOG_LEVEL:-INFO}" | tr '[:upper:]' '[:lower:]')
data_dir=${DATA_DIR:-./data}
mkdir -p "$data_dir"

$celery -A config worker --loglevel "$level" --pool "${WORKER_POOL:-threads}" \
  --concurrency "${WORKER_CONCURRENCY:-2}" --without-gossip --without-mingle \
  --hostname "tessera@%h" &
worker=$!
$celery -A config beat --loglevel "$level" \
  --pidfile "$data_dir/celerybeat.pid" &
beat=$!

stop() {
  trap - INT TERM EXIT
  kill -TERM "$worker" "$beat" 2>/dev/null || true
  wait "$worker" "$beat" 2>/dev/null || true
}
trap stop INT TERM EXIT
# Whichever ends first (a crash, or a signal) ends the other too.
wait -n "$worker" "$beat" || true
