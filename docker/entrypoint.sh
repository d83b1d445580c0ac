#!/bin/sh
# One image, several roles:
#   web (default)   gunicorn on 0.0.0.0:$PORT (WEB_CONCURRENCY workers, WEB_THREADS threads)
#   worker          a Celery worker (WORKER_POOL, WORKER_CONCURRENCY)
#   beat            the one beat scheduler (its schedule file in DATA_DIR)
#   migrate         apply the migrations (once per release, before the web processes)
#   manage ARGS     any management command: `manage createsuperuser`, `manage backup ...`
#   anything else   run as given (`python3`, `sh`, ...)
set -eu
role=${1:-web}
[ "$#" -gt 0 ] && shift
level=$(echo "${LOG_LEVEL:-INFO}" | tr '[:upper:]' '[:lower:]')
case "$role" in
  web)
    exec gunicorn config.wsgi:application --bind "0.0.0.0:${PORT:-8000}" \
      --workers "${WEB_CONCURRENCY:-2}" --threads "${WEB_THREADS:-4}" \
      --access-logfile - --log-level "${GUNICORN_LOG_LEVEL:-warning}" \
      --worker-tmp-dir /dev/shm --control-socket /tmp/gunicorn.ctl \
      --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}" "$@" ;;
  worker)
    exec celery -A config worker --loglevel "$level" --pool "${WORKER_POOL:-threads}" \
      --concurrency "${WORKER_CONCURRENCY:-4}" --without-gossip --without-mingle \
      --hostname "tessera@%h" "$@" ;;
  beat)
    exec celery -A config beat --loglevel "$level" \
      --schedule "${DATA_DIR:-/app/data}/celerybeat-schedule" \
      --pidfile "" "$@" ;;
  migrate)
    exec python3 manage.py migrate --noinput "$@" ;;
  manage)
    exec python3 manage.py "$@" ;;
  *)
    exec "$role" "$@" ;;
esac
