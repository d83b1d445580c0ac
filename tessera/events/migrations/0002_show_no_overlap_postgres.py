"""Two shows that are not cancelled never overlap in one hall: an exclusion constraint.

PostgreSQL only (it needs the btree_gist extension, trusted since PostgreSQL 13, so the
database owner may create it). On SQLite the service checks under serialised write
transactions; this migration does nothing there. The service maps a violation to the same
409 `show_overlap` as its own check.
"""

from django.db import migrations

CONSTRAINT = "events_show_no_overlap_in_hall"

CREATE = f"""
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE events_show ADD CONSTRAINT {CONSTRAINT}
    EXCLUDE USING gist (hall_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
    WHERE (hall_id IS NOT NULL AND status <> 'cancelled');
"""
DROP = f"ALTER TABLE events_show DROP CONSTRAINT IF EXISTS {CONSTRAINT};"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
