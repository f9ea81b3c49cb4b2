"""The database keeps incidents_attainmentday: each incident counts once in the group of its opening
day (UTC), order, kind, severity, offering and site, as decided (met or not) or pending.

Triggers rather than the application, so that every way an incident is written (the services, the
one-statement opening of incidents.services.sql, the worker's breaches, a bulk load) keeps the
counts exact in its own transaction: an insert adds the incident, a change of what is counted moves
it (takes it out of its old group, adds it to its new one), a deletion takes it out. What is
already there is counted once here.
"""

from django.db import migrations

COLUMNS = "organisation_id, order_id, day, kind, severity, offering, site_country, decided, met, pending"
GROUP = "order_id, day, kind, severity, offering, site_country"

BACKFILL = f"""
INSERT INTO incidents_attainmentday ({COLUMNS})
SELECT organisation_id, order_id, {{day}}, kind, severity, offering, site_country,
       SUM(CASE WHEN response_met IS NOT NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN response_met THEN 1 ELSE 0 END),
       SUM(CASE WHEN response_met IS NULL THEN 1 ELSE 0 END)
FROM incidents_incident GROUP BY organisation_id, order_id, {{day}}, kind, severity, offering, site_country
"""


def _add(row: str, day: str) -> str:
    """Return the upsert adding incident ``row`` (NEW) to its group."""
    return (
        f"INSERT INTO incidents_attainmentday ({COLUMNS}) VALUES ({row}.organisation_id, {row}.order_id, "
        f"{day}, {row}.kind, {row}.severity, {row}.offering, {row}.site_country, "
        f"CASE WHEN {row}.response_met IS NOT NULL THEN 1 ELSE 0 END, "
        f"CASE WHEN {row}.response_met THEN 1 ELSE 0 END, "
        f"CASE WHEN {row}.response_met IS NULL THEN 1 ELSE 0 END) "
        f"ON CONFLICT ({GROUP}) DO UPDATE SET decided = incidents_attainmentday.decided + excluded.decided, "
        "met = incidents_attainmentday.met + excluded.met, pending = incidents_attainmentday.pending + excluded.pending"
    )


def _take(row: str, day: str) -> str:
    """Return the update taking incident ``row`` (OLD) out of its group."""
    return (
        "UPDATE incidents_attainmentday SET "
        f"decided = decided - CASE WHEN {row}.response_met IS NOT NULL THEN 1 ELSE 0 END, "
        f"met = met - CASE WHEN {row}.response_met THEN 1 ELSE 0 END, "
        f"pending = pending - CASE WHEN {row}.response_met IS NULL THEN 1 ELSE 0 END "
        f"WHERE order_id = {row}.order_id AND day = {day} AND kind = {row}.kind AND severity = {row}.severity "
        f"AND offering = {row}.offering AND site_country = {row}.site_country"
    )


COUNTED = ("response_met", "severity", "offering", "kind", "site_country", "opened_at", "order_id")
CHANGED = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in COUNTED)
CHANGED_SQLITE = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in COUNTED)

PG_DAY = "(({row}.opened_at AT TIME ZONE 'UTC')::date)"
POSTGRES = [
    f"""
CREATE FUNCTION incidents_attainment_day() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    {_take("OLD", PG_DAY.format(row="OLD"))};
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    {_add("NEW", PG_DAY.format(row="NEW"))};
  END IF;
  RETURN NULL;
END $$
""",
    "CREATE TRIGGER incidents_attainment_insert_delete AFTER INSERT OR DELETE ON incidents_incident "
    "FOR EACH ROW EXECUTE FUNCTION incidents_attainment_day()",
    f"CREATE TRIGGER incidents_attainment_update AFTER UPDATE ON incidents_incident FOR EACH ROW "
    f"WHEN ({CHANGED}) EXECUTE FUNCTION incidents_attainment_day()",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS incidents_attainment_insert_delete ON incidents_incident",
    "DROP TRIGGER IF EXISTS incidents_attainment_update ON incidents_incident",
    "DROP FUNCTION IF EXISTS incidents_attainment_day()",
]

SQLITE_DAY = "date({row}.opened_at)"
SQLITE = [
    f"CREATE TRIGGER incidents_attainment_insert AFTER INSERT ON incidents_incident BEGIN "
    f"{_add('NEW', SQLITE_DAY.format(row='NEW'))}; END",
    f"CREATE TRIGGER incidents_attainment_update AFTER UPDATE ON incidents_incident WHEN {CHANGED_SQLITE} BEGIN "
    f"{_take('OLD', SQLITE_DAY.format(row='OLD'))}; {_add('NEW', SQLITE_DAY.format(row='NEW'))}; END",
    f"CREATE TRIGGER incidents_attainment_delete AFTER DELETE ON incidents_incident BEGIN "
    f"{_take('OLD', SQLITE_DAY.format(row='OLD'))}; END",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS incidents_attainment_{name}" for name in ("insert", "update", "delete")
]


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(BACKFILL.format(day="((opened_at AT TIME ZONE 'UTC')::date)"))
        statements = POSTGRES
    elif vendor == "sqlite":
        schema_editor.execute(BACKFILL.format(day="date(opened_at)"))
        statements = SQLITE
    else:
        return
    for statement in statements:
        schema_editor.execute(statement)


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in POSTGRES_DROP if vendor == "postgresql" else SQLITE_DROP if vendor == "sqlite" else []:
        schema_editor.execute(statement)
    schema_editor.execute("DELETE FROM incidents_attainmentday")


class Migration(migrations.Migration):
    dependencies = [("incidents", "0017_attainment_days")]

    operations = [migrations.RunPython(install, remove)]
