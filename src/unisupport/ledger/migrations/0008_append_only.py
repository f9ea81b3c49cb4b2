"""The database itself refuses to change or delete a ledger entry (CRD-4): a correction is a
compensating entry, never an edit, whoever holds a connection — not only through the application.

PostgreSQL: a row trigger raising on UPDATE and DELETE. SQLite: the same with RAISE(ABORT); its WHEN
asks the function the application registers on each connection (ledger/apps.py), which answers
"unlocked" only while the `flush` command empties the test database. A connection without that
function (another program) cannot fire the trigger at all: it is refused either way.
"""

from django.db import migrations

REFUSAL = "CRD-4: a ledger entry is never changed or deleted; a correction is a compensating entry"

POSTGRES = [
    f"""
CREATE FUNCTION ledger_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '{REFUSAL}' USING ERRCODE = 'integrity_constraint_violation';
END $$
""",
    "CREATE TRIGGER ledger_entry_append_only BEFORE UPDATE OR DELETE ON ledger_ledgerentry "
    "FOR EACH ROW EXECUTE FUNCTION ledger_entry_append_only()",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS ledger_entry_append_only ON ledger_ledgerentry",
    "DROP FUNCTION IF EXISTS ledger_entry_append_only()",
]
SQLITE = [
    f"CREATE TRIGGER ledger_entry_no_{event.lower()} BEFORE {event} ON ledger_ledgerentry "
    f"WHEN NOT unisupport_ledger_unlocked() BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
    for event in ("UPDATE", "DELETE")
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS ledger_entry_no_{event}" for event in ("update", "delete")]


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in POSTGRES if vendor == "postgresql" else SQLITE if vendor == "sqlite" else []:
        schema_editor.execute(statement)


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in POSTGRES_DROP if vendor == "postgresql" else SQLITE_DROP if vendor == "sqlite" else []:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0007_daily_movement_trigger")]

    operations = [migrations.RunPython(install, remove)]
