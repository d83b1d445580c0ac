#!/usr/bin/env bash
# CI: the README's curl tour, run as a new user would, against `make run` on a private port.
#
# Copies the checkout (tracked files) to a temporary folder, so the run's .env and data/ never
# touch the checkout, starts `scripts/run.sh` there (web, worker, beat; SQLite, demo data),
# then runs every bash block of the README from "A tour of the API" on, in one shell. Each
# curl is checked: any 5xx fails, and so does any 4xx except the two the README shows on
# purpose (401 without a token, 409 `delivery_pending` for a replay). Stops what it started
# (by process group) and removes the folder. Usage: scripts/ci/readme_tour.sh [port]
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
port=${1:-${TOUR_PORT:-8141}}
scripts/bootstrap.sh

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill -TERM -- "-$server_pid" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 -- "-$server_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$work"
ln -s "$root/.venv" "$work/.venv"

echo "==> starting make run on :$port in $work"
(cd "$work" && PORT=$port WEB_CONCURRENCY=1 exec setsid scripts/run.sh >"$work/run.log" 2>&1) &
server_pid=$!
for _ in $(seq 1 180); do
  curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/run.log"; echo "make run exited" >&2; exit 1; }
  sleep 1
done
curl -sf "http://127.0.0.1:$port/readyz" >/dev/null || { tail -50 "$work/run.log"; exit 1; }

# The README's blocks from the tour on, after a checking curl.
"$root/.venv/bin/python" - "$root/README.md" >"$work/tour.sh" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
tour = text[text.index("## A tour of the API"):]
print("\n\n".join(re.findall(r"```bash\n(.*?)```", tour, flags=re.S)))
PY

cat >"$work/check.sh" <<'SH'
set -euo pipefail
curl() {
  local out status method=GET url="" arg
  for arg in "$@"; do
    case "$arg" in http://*) url=$arg ;; esac
  done
  local prev=""
  for arg in "$@"; do
    [ "$prev" = "-X" ] && method=$arg
    prev=$arg
  done
  out=$(command curl -sS -w '\n%{http_code}' "$@") || { echo "TOUR: curl failed: $*" >&2; return 1; }
  status=${out##*$'\n'}
  printf '%s\n' "${out%$'\n'*}"
  local path=${url#http://*/}
  path=/${path%%\?*}
  echo "TOUR: $status $method $path" >&2
  if [ "$status" -ge 500 ] || [ "$status" = 000 ]; then
    echo "TOUR: server error on $method $path" >&2; return 1
  fi
  if [ "$status" -ge 400 ]; then
    case "$status $method $path" in
      "401 GET /api/users/me/") ;;
      409\ POST\ /api/notifications/webhook-deliveries/*/replay/) ;;
      *) echo "TOUR: unexpected $status on $method $path" >&2; return 1 ;;
    esac
  fi
}
SH

echo "==> running the README tour"
started=$(date +%s)
(cd "$work" && PORT=$port bash -c "source ./check.sh; source ./tour.sh" >"$work/tour.out" 2>"$work/tour.err") || {
  tail -40 "$work/tour.err"; echo "--- last answer:"; tail -n1 "$work/tour.out" | cut -c1-2000; echo "README tour: FAILED" >&2; exit 1
}
requests=$(grep -c '^TOUR: [0-9]' "$work/tour.err")
echo "README tour: $requests requests, all as documented ($(( $(date +%s) - started ))s)"
