#!/usr/bin/env bash
# The generated Postman collection, run with newman against a server with the demo data.
#   1. checks that postman/*.json are what `manage.py postman_collection` writes now;
#   2. installs newman from the npm registry into postman/node_modules (pinned by
#      postman/package-lock.json: `npm ci`);
#   3. starts gunicorn on 127.0.0.1:${NEWMAN_PORT:-8152} with a fresh SQLite database and the
#      demo data in a temporary DATA_DIR;
#   4. runs the collection (every request asserts its status and key fields); fails on any
#      failed assertion;
#   5. stops the server (by pid) and removes the temporary folder.
set -euo pipefail
cd "$(dirname "$0")/../.."
port=${NEWMAN_PORT:-8152}
started=$(date +%s)
scripts/bootstrap.sh

echo "==> the committed collection is current"
DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python manage.py postman_collection --check

echo "==> newman (npm ci)"
command -v npm >/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
}
npm ci --prefix postman --no-audit --no-fund --loglevel=error >/dev/null
newman=postman/node_modules/.bin/newman

data=$(mktemp -d /tmp/tessera-newman.XXXXXX)
server=""
stop() {
  status=$?
  trap - EXIT INT TERM
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  [ "$status" = 0 ] || { echo "--- server log (tail)"; tail -n 30 "$data/server.log" 2>/dev/null || true; }
  rm -rf "$data"
  echo "newman.sh: $([ "$status" = 0 ] && echo passed || echo FAILED) in $(($(date +%s) - started))s"
  exit "$status"
}
trap stop EXIT INT TERM

echo "==> server with the demo data on 127.0.0.1:$port"
export TESSERA_ENV_FILE=/nonexistent DATA_DIR="$data" DATABASE_URL="" REDIS_URL="" \
  SECRET_KEY=newman-run-secret-key-not-for-production-0123456789 DEBUG=false \
  SECURE_DATA_TRANSFER=false CELERY_BROKER_URL=memory:// \
  THROTTLE_REGISTER=1000/hour THROTTLE_AUTH=1000/min
unset DJANGO_SETTINGS_MODULE
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py collectstatic --noinput -v 0
.venv/bin/python manage.py seed_demo >/dev/null
.venv/bin/gunicorn config.wsgi:application --bind "127.0.0.1:$port" --workers 2 --threads 4 \
  --log-level warning >"$data/server.log" 2>&1 &
server=$!
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { echo "the server did not start" >&2; exit 1; }
  sleep 1
done

echo "==> newman run"
"$newman" run postman/tessera.postman_collection.json \
  --environment postman/tessera.postman_environment.json \
  --env-var "baseUrl=http://127.0.0.1:$port" \
  --env-var "adminPassword=$(cut -d' ' -f2 "$data/admin-credentials.txt")" \
  --reporters cli --reporter-cli-no-success-assertions --reporter-cli-no-console \
  --timeout-request 30000 --color off
