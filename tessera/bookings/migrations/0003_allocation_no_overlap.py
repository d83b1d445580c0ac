"""Invariant 1 in the database (PostgreSQL): no two live allocations of a capacity-1 resource
overlap, buffers included. SQLite has no exclusion constraints; there, write transactions are
serialised (BEGIN IMMEDIATE) and the service's check decides. The booking services map a
violation of this constraint to the same 409 `slot_unavailable` as their own check.
"""

from django.db import migrations

CONSTRAINT = "bookings_allocation_no_overlap"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE bookings_timeallocation ADD CONSTRAINT {CONSTRAINT} "
        "EXCLUDE USING gist (resource_id WITH =, "
        "tstzrange(occupied_from, occupied_to, '[)') WITH &&) "
        "WHERE (is_live AND exclusive)"
    )


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE bookings_timeallocation DROP CONSTRAINT IF EXISTS {CONSTRAINT}"
    )


class Migration(migrations.Migration):
    dependencies = [("bookings", "0002_timeallocation")]

    operations = [migrations.RunPython(add_constraint, drop_constraint, elidable=False)]
