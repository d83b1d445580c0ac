#!/usr/bin/env bash
# Refreshes the pages' Spanish catalogue: collects the marked strings into
# tessera/web/locale/es/LC_MESSAGES/django.po (Django's makemessages, which needs GNU gettext's
# xgettext: installed from Debian when missing), then compiles django.mo with polib (pure
# Python). The .mo is committed, so `make run` needs no gettext; a test fails when it is stale.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
if ! command -v xgettext >/dev/null; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q gettext >/dev/null
fi
(cd tessera/web && DJANGO_SETTINGS_MODULE=config.settings.test \
  ../../.venv/bin/python ../../manage.py makemessages -l es --no-location)
DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python manage.py web_compilemessages
