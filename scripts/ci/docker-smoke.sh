#!/usr/bin/env bash
# The Docker image and docker-compose.yml, run for real on a machine without a registry:
#   1. installs docker.io and debootstrap (Debian) if missing, and Compose v2 (the CLI plugin
#      of Debian trixie's docker-compose package, unpacked into the cache, not installed);
#   2. starts its own dockerd (own data/exec roots and socket, no bridge, no iptables);
#   3. builds a base image from a Debian trixie root made by debootstrap (Python 3.13), and the
#      Tessera image on it (--build-arg BASE_IMAGE=...); prints the image size;
#   4. starts PostgreSQL and Redis on private loopback ports, brings the stack up with every
#      container on the host network (docker/compose.smoke.yml) and prints the time from `up`
#      to a healthy web container;
#   5. loads the demo data with a one-off command, books through the container's API, waits
#      for the worker to deliver the email, restarts the stack and finds the booking and the
#      email again;
#   6. stops everything it started, by process id (trap), and removes its state.
# SMOKE_SUITE_IMPORTS=1 also checks that the locked dev set installs on the image's Python 3.13
# and that pytest collects the whole suite there.
# The trixie root and dockerd's image store are kept in $SMOKE_CACHE (default
# /var/cache/tessera-smoke) for later runs; SMOKE_FRESH=1 starts from nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
checkout=$(pwd)

CACHE=${SMOKE_CACHE:-/var/cache/tessera-smoke}
PG_PORT=${SMOKE_PG_PORT:-55450}
REDIS_PORT=${SMOKE_REDIS_PORT:-55451}
WEB_PORT=${SMOKE_WEB_PORT:-8150}
MIRROR=${SMOKE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
BASE_IMAGE=tessera-base:trixie
IMAGE=tessera:smoke
PROJECT=tessera-smoke
started=$(date +%s)
say() { echo "=== [$(($(date +%s) - started))s] $*"; }

[ "$(id -u)" = 0 ] || { echo "docker-smoke needs root (dockerd, debootstrap)" >&2; exit 1; }
[ "${SMOKE_FRESH:-0}" = 1 ] && rm -rf "$CACHE"
mkdir -p "$CACHE"
state=$(mktemp -d /tmp/tessera-smoke.XXXXXX)
chmod 0755 "$state"

dockerd_pid="" redis_pid="" pg_started="" imports_pid=""
cleanup() {
  status=$?
  trap - EXIT INT TERM
  [ -n "$imports_pid" ] && { kill "$imports_pid" 2>/dev/null || true; }
  if [ -n "$dockerd_pid" ] && [ -S "$state/docker.sock" ]; then
    compose down --volumes --timeout 10 >/dev/null 2>&1 || true
  fi
  if [ -n "$dockerd_pid" ]; then
    kill "$dockerd_pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$dockerd_pid" 2>/dev/null || true
  fi
  # dockerd leaves its network namespace mounted under the exec root.
  grep -o " $state[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  [ -n "$redis_pid" ] && { kill "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; }
  [ -n "$pg_started" ] && runuser -u postgres -- "$pg_bin/pg_ctl" -D "$state/pg" -m fast stop >/dev/null 2>&1 || true
  if [ "$status" != 0 ]; then
    echo "--- dockerd log (tail)"; tail -n 20 "$state/dockerd.log" 2>/dev/null || true
  fi
  rm -rf "$state"
  say "docker-smoke: $([ "$status" = 0 ] && echo passed || echo FAILED) in $(($(date +%s) - started))s"
  exit "$status"
}
trap cleanup EXIT INT TERM

# --- 1. tools ------------------------------------------------------------------------------------
say "tools"
missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v redis-server >/dev/null || missing+=(redis-server)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 \
    --no-install-recommends "${missing[@]}" >/dev/null
fi
pg_bin=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n1)")
DOCKER=/usr/bin/docker

# Compose v2: Debian bookworm has only docker-compose 1.29 (Python); trixie packages v2 as a
# static CLI plugin. apt-get fetches that one .deb into the cache (its own lists and state:
# the host's apt setup is not touched), and the plugin is unpacked from it.
plugin_dir="$CACHE/cli-plugins"
if [ ! -x "$plugin_dir/docker-compose" ]; then
  apt_dir="$CACHE/apt"
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial" "$plugin_dir"
  echo "deb $MIRROR trixie main" > "$apt_dir/sources.list"
  : > "$apt_dir/status"
  apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=/nonexistent"
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::State::status=$apt_dir/status"
    -o "Dir::Cache=$apt_dir" -o "Dir::Cache::archives=$apt_dir/archives" -o "Debug::NoLocking=1"
    -o "APT::Sandbox::User=root")
  apt-get "${apt_opts[@]}" update -qq
  (cd "$apt_dir/archives" && apt-get "${apt_opts[@]}" download docker-compose -qq)
  dpkg-deb -x "$apt_dir"/archives/docker-compose_*.deb "$apt_dir/unpacked"
  cp "$apt_dir/unpacked/usr/libexec/docker/cli-plugins/docker-compose" "$plugin_dir/"
  rm -rf "$apt_dir"
fi
mkdir -p "$state/docker-config"
ln -s "$plugin_dir" "$state/docker-config/cli-plugins"
export DOCKER_CONFIG="$state/docker-config" DOCKER_HOST="unix://$state/docker.sock"
export DOCKER_BUILDKIT=0 COMPOSE_DOCKER_CLI_BUILD=0

# --- 2. dockerd ----------------------------------------------------------------------------------
say "dockerd"
mkdir -p "$CACHE/docker-root" "$state/x"
dockerd --data-root "$CACHE/docker-root" --exec-root "$state/x" --pidfile "$state/dockerd.pid" \
  --host "unix://$state/docker.sock" --bridge=none --iptables=false --ip6tables=false \
  --ip-masq=false --userland-proxy=false >"$state/dockerd.log" 2>&1 &
dockerd_pid=$!
for _ in $(seq 1 60); do $DOCKER version >/dev/null 2>&1 && break; sleep 1; done
$DOCKER version --format 'engine {{.Server.Version}}, client {{.Client.Version}}'
$DOCKER compose version

compose() {
  SMOKE_PG_PORT=$PG_PORT SMOKE_REDIS_PORT=$REDIS_PORT SMOKE_WEB_PORT=$WEB_PORT \
  TESSERA_IMAGE=$IMAGE SECRET_KEY=docker-smoke-secret-key-not-for-production-0123456789 \
    $DOCKER compose --project-name "$PROJECT" --project-directory "$checkout" \
    --env-file /dev/null -f "$checkout/docker-compose.yml" -f "$checkout/docker/compose.smoke.yml" "$@"
}

# The development override is not run here (it needs the registry's postgres and redis
# images), but it must stay a valid override of the production file.
SECRET_KEY=x $DOCKER compose --project-directory "$checkout" --env-file /dev/null \
  -f "$checkout/docker-compose.yml" -f "$checkout/docker-compose.dev.yml" config -q
echo "docker-compose.yml + docker-compose.dev.yml: valid"

# --- 3. images -----------------------------------------------------------------------------------
if ! $DOCKER image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  rootfs_tar="$CACHE/trixie-python.tar"
  if [ ! -s "$rootfs_tar" ]; then
    say "debootstrap trixie (minbase + python3)"
    debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
      trixie "$state/rootfs" "$MIRROR" >"$state/debootstrap.log" 2>&1 \
      || { tail -n 20 "$state/debootstrap.log"; exit 1; }
    rm -rf "$state/rootfs"/var/lib/apt/lists/* "$state/rootfs"/var/cache/apt/*.bin \
      "$state/rootfs"/var/cache/apt/archives/*.deb "$state/rootfs"/usr/share/doc/* \
      "$state/rootfs"/usr/share/man/* "$state/rootfs"/usr/share/locale/*
    tar -C "$state/rootfs" -cf "$rootfs_tar.partial" . && mv "$rootfs_tar.partial" "$rootfs_tar"
    rm -rf "$state/rootfs"
  fi
  say "docker import $BASE_IMAGE"
  $DOCKER import "$rootfs_tar" "$BASE_IMAGE" >/dev/null
fi
say "docker build $IMAGE (BASE_IMAGE=$BASE_IMAGE)"
build_started=$(date +%s)
# The build context: the files git knows (committed or not ignored), plus the host's CA bundle
# for a TLS-inspecting proxy on the way to PyPI (build stage only: docker/build-ca/README.md).
mkdir -p "$state/context"
git ls-files -z --cached --others --exclude-standard >"$state/context.list"
tar --null -T "$state/context.list" --ignore-failed-read -cf "$state/context.tar" \
  2>"$state/context.log" || { cat "$state/context.log"; exit 1; }
tar -C "$state/context" -xf "$state/context.tar" && rm "$state/context.tar"
ca_bundle=${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}
[ -s "$ca_bundle" ] && cp "$ca_bundle" "$state/context/docker/build-ca/host-bundle.crt"
$DOCKER build --network host --build-arg "BASE_IMAGE=$BASE_IMAGE" -t "$IMAGE" \
  "$state/context" >"$state/build.log" 2>&1 || { tail -n 30 "$state/build.log"; exit 1; }
size=$($DOCKER image inspect -f '{{.Size}}' "$IMAGE")
echo "image $IMAGE: $((size / 1000000)) MB ($size bytes; target < 250 MB), built in $(($(date +%s) - build_started))s"
$DOCKER run --rm --network host "$IMAGE" python3 -c \
  'import sys, django, celery, psycopg; print("in the image: Python", sys.version.split()[0], "Django", django.__version__)'
[ "$size" -lt 250000000 ] || { echo "the image is over 250 MB" >&2; exit 1; }

# SMOKE_SUITE_IMPORTS=1: also install the whole locked dev set on the image's Python 3.13 and
# let pytest collect every test module there, in a throwaway container beside the stack
# (waited for at the end). Off by default: its downloads cost minutes on a busy machine.
if [ "${SMOKE_SUITE_IMPORTS:-0}" = 1 ]; then
say "the test suite's imports on the image's Python (in the background)"
(
$DOCKER run --rm --network host --user root -v "$state/context:/src" -e HOME=/tmp \
  -e PIP_CERT=/src/docker/build-ca/host-bundle.crt -e PIP_DISABLE_PIP_VERSION_CHECK=1 \
  --entrypoint sh "$IMAGE" -c '
    [ -s "$PIP_CERT" ] || unset PIP_CERT
    python3 -m venv /tmp/dev && /tmp/dev/bin/pip install -q --require-hashes \
      --only-binary=:all: --no-deps -r /src/requirements-dev.lock >/tmp/pip.log 2>&1 \
      || { tail -n 20 /tmp/pip.log; exit 1; }
    cd /src && out=$(DATA_DIR=/tmp/data /tmp/dev/bin/python -m pytest --collect-only -q \
      -p no:cacheprovider 2>&1); status=$?
    echo "$out" | tail -n 3; exit $status'
) >"$state/imports.log" 2>&1 &
imports_pid=$!
fi

# --- 4. PostgreSQL and Redis on private loopback ports, then the stack -------------------------
say "PostgreSQL on 127.0.0.1:$PG_PORT, Redis on 127.0.0.1:$REDIS_PORT"
mkdir -p "$state/pg" "$state/redis" && chown postgres "$state/pg"
runuser -u postgres -- "$pg_bin/initdb" -D "$state/pg" -U postgres --auth=trust -E UTF8 >/dev/null
runuser -u postgres -- "$pg_bin/pg_ctl" -D "$state/pg" -l "$state/pg/log" -w -o \
  "-p $PG_PORT -k $state/pg -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
pg_started=1
psql() { command psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -tAq "$@"; }
psql -d postgres -c "CREATE DATABASE tessera"
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$state/redis" --save "" \
  --appendonly yes --logfile "$state/redis/log" &
redis_pid=$!

wait_healthy() {  # prints the seconds from $1 to a healthy web container
  local since=$1 id status
  for _ in $(seq 1 300); do
    id=$(compose ps -q web 2>/dev/null || true)
    status=$([ -n "$id" ] && $DOCKER inspect -f '{{.State.Health.Status}}' "$id" 2>/dev/null || true)
    [ "$status" = healthy ] && { echo "$(($(date +%s) - since))"; return 0; }
    sleep 1
  done
  compose ps >&2; compose logs --tail 30 >&2
  return 1
}

say "docker compose up"
up_started=$(date +%s)
compose up -d --no-build --quiet-pull 2>&1 | grep -v -e '^ *Container' -e '^ *Volume' -e '^ *Network' || true
echo "from 'up' to a healthy web container: $(wait_healthy "$up_started")s"
compose ps --format '{{.Service}}: {{.Status}}'

# --- 5. through the API, the worker, a restart ---------------------------------------------------
say "demo data (a one-off command in the image)"
compose run --rm --no-deps -T web manage seed_demo | tail -n 3
base="http://127.0.0.1:$WEB_PORT"
read -r booking_id reference < <(python3 scripts/ci/smoke_api.py book "$base")
echo "booked $reference (id $booking_id) through the container's API"

say "waiting for the worker to send the email"
sent=""
for _ in $(seq 1 60); do
  sent=$(psql -d tessera -c "SELECT n.status FROM notifications_notification n
    JOIN notifications_outboxmessage o ON o.event_id = n.event_id
    WHERE o.aggregate_id = '$reference' AND n.channel = 'email' AND n.status = 'sent' LIMIT 1")
  [ "$sent" = sent ] && break
  sleep 1
done
[ "$sent" = sent ] || { echo "no email was sent for $reference" >&2; compose logs --tail 40 worker beat; exit 1; }
mail_file() { compose exec -T worker sh -c "grep -l '$reference' /app/data/mail/* | head -n1"; }
echo "the worker sent it: $(mail_file)"

say "restart: docker compose down, then up again (volumes kept)"
compose down --timeout 20 2>&1 | grep -v -e '^ *Container' -e '^ *Network' || true
up_started=$(date +%s)
compose up -d --no-build 2>&1 | grep -v -e '^ *Container' -e '^ *Network' || true
echo "from 'up' to a healthy web container (second start): $(wait_healthy "$up_started")s"
python3 scripts/ci/smoke_api.py check "$base" "$booking_id" "$reference"
[ -n "$(mail_file)" ] || { echo "the email file did not survive the restart" >&2; exit 1; }
echo "the email file survived in the data volume"

if [ -n "$imports_pid" ]; then
  say "the suite's imports on the image's Python"
  wait "$imports_pid" || { cat "$state/imports.log"; exit 1; }
  imports_pid=""
  cat "$state/imports.log"
fi
