#!/usr/bin/env bash
# Installs Debian's chromium package for the browser tests when it is missing (a no-op when
# /usr/bin/chromium is there, or when TESSERA_CHROMIUM names another build).
set -euo pipefail
chromium=${TESSERA_CHROMIUM:-/usr/bin/chromium}
[ -x "$chromium" ] && exit 0
echo "==> installing Debian's chromium for the browser tests"
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
$sudo apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q -o DPkg::Lock::Timeout=600 \
  chromium >/dev/null
[ -x "$chromium" ] || { echo "chromium is still missing at $chromium" >&2; exit 1; }
