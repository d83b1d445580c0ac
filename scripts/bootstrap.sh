#!/usr/bin/env bash
# Creates .venv with Python >= 3.12 and installs the locked dependencies (requirements-dev.lock,
# hash-checked). Reinstalls only when the lock file changes. Sourced or run by the other scripts.
set -euo pipefail
cd "$(dirname "$0")/.."
# CI steps may run in parallel in one clone: one of them installs, the others wait for it.
exec 9>.venv.lock && flock 9

find_python() {
  local candidate
  for candidate in "${TESSERA_PYTHON:-}" python3.12 python3.13 python3 \
      "$(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.12*/bin/python3 2>/dev/null | tail -n1)" \
      "$(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.13*/bin/python3 2>/dev/null | tail -n1)"; do
    [ -n "$candidate" ] || continue
    if "$candidate" -c 'import sys; sys.exit(0 if (3, 12) <= sys.version_info[:2] < (3, 14) else 1)' \
        >/dev/null 2>&1; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if [ ! -x .venv/bin/python ]; then
  python_bin=$(find_python) || {
    echo "Tessera needs Python 3.12 or 3.13 (Django 6). Install one, or set TESSERA_PYTHON." >&2
    exit 1
  }
  echo "==> creating .venv with $("$python_bin" --version)"
  "$python_bin" -m venv .venv
fi

stamp=.venv/.tessera-lock.sha256
want=$(sha256sum requirements-dev.lock | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "==> installing locked dependencies"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes \
    -r requirements-dev.lock 2> >(grep -v 'is ignored: it is neither a file' >&2)
  echo "$want" > "$stamp"
fi
