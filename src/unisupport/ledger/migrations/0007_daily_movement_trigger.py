"""The database keeps ledger_dailymovement: every insert of entries adds them to their account's day.

A trigger rather than the application, so that every way an entry is written (the services, the
one-statement fast path of ledger.sql, a bulk load) keeps the sums exact, in the entry's own
transaction. On PostgreSQL a statement-level trigger sums a multi-row insert once; on SQLite a
row-level one (it has no transition tables). What is already in the ledger is summed once here.
"""

from django.db import migrations

# Granted: what the order granted (its grants are caused by "order:…"), positive amounts only.
# Debited: a debit that is not a forfeiture (domain.expiry: forfeitures consume their lot directly).
BACKFILL = """
INSERT INTO ledger_dailymovement (account_id, day, total, granted, debited)
SELECT account_id, effective_on, SUM(amount),
       SUM(CASE WHEN cause LIKE 'order:%%' AND amount > 0 THEN amount ELSE 0 END),
       MAX(CASE WHEN amount < 0 AND forfeits = '' THEN 1 ELSE 0 END) = 1
FROM ledger_ledgerentry GROUP BY account_id, effective_on
"""

POSTGRES = """
CREATE FUNCTION ledger_daily_movement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO ledger_dailymovement (account_id, day, total, granted, debited)
  SELECT account_id, effective_on, SUM(amount),
         SUM(CASE WHEN cause LIKE 'order:%%' AND amount > 0 THEN amount ELSE 0 END),
         BOOL_OR(amount < 0 AND forfeits = '')
  FROM added GROUP BY account_id, effective_on
  ON CONFLICT (account_id, day) DO UPDATE SET
    total = ledger_dailymovement.total + EXCLUDED.total,
    granted = ledger_dailymovement.granted + EXCLUDED.granted,
    debited = ledger_dailymovement.debited OR EXCLUDED.debited;
  RETURN NULL;
END $$
"""
POSTGRES_TRIGGER = """
CREATE TRIGGER ledger_entry_daily_movement AFTER INSERT ON ledger_ledgerentry
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION ledger_daily_movement();
"""
POSTGRES_DROP = (
    "DROP TRIGGER IF EXISTS ledger_entry_daily_movement ON ledger_ledgerentry",
    "DROP FUNCTION IF EXISTS ledger_daily_movement()",
)

SQLITE = """
CREATE TRIGGER ledger_entry_daily_movement AFTER INSERT ON ledger_ledgerentry BEGIN
  INSERT INTO ledger_dailymovement (account_id, day, total, granted, debited)
  VALUES (NEW.account_id, NEW.effective_on, NEW.amount,
          CASE WHEN NEW.cause LIKE 'order:%%' AND NEW.amount > 0 THEN NEW.amount ELSE 0 END,
          NEW.amount < 0 AND NEW.forfeits = '')
  ON CONFLICT (account_id, day) DO UPDATE SET
    total = total + excluded.total,
    granted = granted + excluded.granted,
    debited = debited OR excluded.debited;
END
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS ledger_entry_daily_movement"


# Each statement on its own (a parameterised execute runs one), "%%" a literal "%" on both databases.


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute(BACKFILL)
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES)
        schema_editor.execute(POSTGRES_TRIGGER)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE)


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in POSTGRES_DROP:
            schema_editor.execute(statement)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)
    schema_editor.execute("DELETE FROM ledger_dailymovement")


class Migration(migrations.Migration):
    dependencies = [("ledger", "0006_daily_movements")]

    operations = [migrations.RunPython(install, remove)]
