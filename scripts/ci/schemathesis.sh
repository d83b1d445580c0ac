#!/usr/bin/env bash
# CI: fuzz the whole API with schemathesis (all phases: examples, coverage, fuzzing, stateful)
# against a server this script starts itself, on its own SQLite data folder with the demo data,
# as a customer (alice) and as staff (an admin it creates), then the erasure of a throwaway user
# it registers. Fails on any server error (schemathesis' check AND the server's access log) and
# on any response that breaks the schema (status, content type, headers, body).
#
# Runs from a clean clone: installs the project (scripts/bootstrap.sh) and the pinned fuzzer in
# .venv-fuzz (requirements-fuzz.lock, hash-checked). Leaves nothing running and removes its data.
# Knobs: FUZZ_PORT (8131); per identity FUZZ_SECONDS for examples, coverage and fuzzing (45)
# and FUZZ_STATEFUL_SECONDS for the stateful phase (25), run apart so that neither starves the
# other; FUZZ_SEED (fixed, so that a failure reproduces).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
export PYTHONUNBUFFERED=1

port=${FUZZ_PORT:-8131}
budget=${FUZZ_SECONDS:-45}
stateful_budget=${FUZZ_STATEFUL_SECONDS:-25}
began=$SECONDS
seed=${FUZZ_SEED:-20261201}
base="http://127.0.0.1:$port"

scripts/bootstrap.sh
want=$(sha256sum requirements-fuzz.lock | cut -d' ' -f1)
if [ "$(cat .venv-fuzz/.lock.sha256 2>/dev/null)" != "$want" ]; then
  echo "==> installing the fuzzer (requirements-fuzz.lock)"
  rm -rf .venv-fuzz
  .venv/bin/python -m venv .venv-fuzz
  .venv-fuzz/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes \
    -r requirements-fuzz.lock 2> >(grep -v 'is ignored: it is neither a file' >&2)
  echo "$want" > .venv-fuzz/.lock.sha256
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/tessera-fuzz.XXXXXX")
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
  server_pid=""
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The server's whole environment: nothing from a developer's .env, no Redis, no PostgreSQL.
export TESSERA_ENV_FILE=/nonexistent DATA_DIR="$work/data" DEBUG=false \
  SECURE_DATA_TRANSFER=false ALLOWED_HOSTS=127.0.0.1 LOG_LEVEL=WARNING \
  SECRET_KEY="fuzz-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
  THROTTLE_REGISTER=1000000/min THROTTLE_AUTH=1000000/min THROTTLE_ANON_READ=1000000/min
unset DATABASE_URL REDIS_URL CELERY_BROKER_URL
py=.venv/bin/python
echo "==> preparing $DATA_DIR (migrate, static files, demo data)"
$py manage.py collectstatic --noinput -v 0 &
collect_pid=$!
$py manage.py migrate --noinput -v 0
$py manage.py seed_demo > "$work/seed.log"
wait "$collect_pid"
admin_password=$(cut -d' ' -f2 "$DATA_DIR/admin-credentials.txt")

echo "==> serving on $base (ready after $((SECONDS - began))s)"
.venv/bin/gunicorn config.wsgi:application --bind "127.0.0.1:$port" --workers 2 --threads 2 \
  --graceful-timeout 5 \
  --access-logfile "$work/access.log" --access-logformat '%(s)s %(m)s %(U)s' \
  --error-logfile "$work/error.log" --log-level warning > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 60); do
  curl -fsS -o /dev/null "$base/healthz" 2>/dev/null && break
  sleep 0.5
done
curl -fsS -o "$work/schema.yaml" "$base/api/schema/"

api() {  # api METHOD PATH JSON [TOKEN] -> body on stdout
  local auth=()
  [ -n "${4:-}" ] && auth=(-H "Authorization: Bearer $4")
  local body=()
  [ -n "$3" ] && body=(-H 'Content-Type: application/json' -d "$3")
  curl --fail-with-body -sS -X "$1" "$base$2" "${auth[@]}" "${body[@]}"
}
field() { $py -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
token() { api POST /api/auth/token/ "{\"username\": \"$1\", \"password\": \"$2\"}" | field access; }

customer_token=$(token alice tessera-demo-2026)
staff_token=$(token admin "$admin_password")
throwaway_password=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
throwaway_id=$(api POST /api/users/ "{\"username\": \"fuzz-throwaway\", \"email\": \"throwaway@fuzz.test\", \"password\": \"$throwaway_password\"}" | field id)

checks=not_a_server_error,status_code_conformance,content_type_conformance
checks=$checks,response_headers_conformance,response_schema_conformance
status=0
fuzz() {  # fuzz NAME TOKEN PHASES SECONDS [filters...]
  local name=$1 bearer=$2 phases=$3 seconds=$4
  shift 4
  echo "==> schemathesis as $name: $phases (${seconds}s, at $((SECONDS - began))s)"
  # From the scratch folder: schemathesis keeps its cache of replayed requests in the working
  # directory, and each run starts clean.
  (cd "$work" && "$root/.venv-fuzz/bin/st" --config-file "$work/schemathesis.toml" run schema.yaml \
    --url "$base" -H "Authorization: Bearer $bearer" --checks "$checks" \
    --phases "$phases" --max-time "$seconds" --seed "$seed" \
    --workers 2 --request-timeout 30 --warnings off \
    --report junit --report-junit-path "$work/$name-${phases%%,*}.xml" "$@") || status=1
}
# The erasure run targets the throwaway user only; the others never erase anyone (the demo
# users and the admin whose tokens the runs use must stay). Likewise "sign out everywhere" and
# the password change end the caller's tokens: only the throwaway user's run calls them.
ends_sessions='/users/me/(sign-out-everywhere|password)/$'
throwaway_token=$(token fuzz-throwaway "$throwaway_password")
cat > "$work/schemathesis.toml" <<TOML
[[operations]]
include-path-regex = "/erasure/\$"
parameters = { "path.user_id" = "$throwaway_id" }
TOML
for who in customer staff; do
  bearer=$customer_token
  [ "$who" = staff ] && bearer=$staff_token
  fuzz "$who" "$bearer" examples,coverage,fuzzing "$budget" \
    --exclude-path-regex "/erasure/\$|$ends_sessions"
  fuzz "$who" "$bearer" stateful "$stateful_budget" \
    --exclude-path-regex "/erasure/\$|$ends_sessions"
done
fuzz sign-out "$throwaway_token" examples,coverage,fuzzing 15 --include-path-regex "$ends_sessions"
fuzz erasure "$staff_token" examples,coverage,fuzzing 15 --include-path-regex '/erasure/$'

erased=$(api GET "/api/users/$throwaway_id/" "" "$staff_token" | field username)
echo "==> erasure answers: $(grep ' /api/users/[0-9]*/erasure/' "$work/access.log" | cut -d' ' -f1 \
  | sort | uniq -c | tr -s ' \n' ' '); the throwaway user is now $erased"
if [ "$erased" != "erased-$throwaway_id" ]; then
  echo "the throwaway user $throwaway_id was never erased" >&2
  status=1
fi
server_errors=$(grep -c '^5' "$work/access.log" || true)
echo "==> server answers 5xx: $server_errors (of $(wc -l < "$work/access.log") requests)"
if [ "$server_errors" != "0" ]; then
  grep '^5' "$work/access.log" | sort | uniq -c | sort -rn | head -20
  tail -n 80 "$work/server.log" "$work/error.log"
  status=1
fi
[ "$status" = 0 ] && echo "schemathesis: no server errors, no schema violations ($((SECONDS - began))s)"
exit "$status"
