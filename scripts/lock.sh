#!/usr/bin/env bash
# Resolve pyproject.toml into the hash-pinned lock files (uses uv, installed on demand).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
[ -x .venv/bin/uv ] || .venv/bin/python -m pip install --quiet uv==0.13.9
.venv/bin/uv pip compile pyproject.toml --python-version 3.12 --generate-hashes -q \
  -o requirements.lock
.venv/bin/uv pip compile pyproject.toml --extra dev --python-version 3.12 --generate-hashes -q \
  -o requirements-dev.lock
# The fuzzer's own lock (scripts/ci/schemathesis.sh): only the `fuzz` extra and what it needs.
printf 'schemathesis==%s\n' "$(sed -n 's/^ *"schemathesis==\([^"]*\)".*/\1/p' pyproject.toml)" \
  | .venv/bin/uv pip compile - --python-version 3.12 --generate-hashes -q -o requirements-fuzz.lock
