#!/usr/bin/env bash
# Private attributes of Django's ORM and DRF are touched in one module only, tessera/core/orm.py
# (its tests fail when Django changes them underneath). Fails listing any other use in tessera/.
set -euo pipefail
cd "$(dirname "$0")/.."
pattern='_prefetched_objects_cache|_result_cache|_prefetch_done|_declared_fields|fields_cache|set_cached_value'
if found=$(grep -rnE "$pattern" tessera --include='*.py' | grep -v '^tessera/core/orm.py:' | grep -v '^tessera/core/tests/test_orm.py:'); then
  echo "private ORM attributes outside tessera/core/orm.py:" >&2
  echo "$found" >&2
  exit 1
fi
echo "only in tessera/core/orm.py"
