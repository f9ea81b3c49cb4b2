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
CHANGED_SQLITE = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in COUNTED)

# PostgreSQL: statement-level triggers over the transition tables, so that a statement touching many
# incidents (a bulk load, a batch of breaches) moves each group once, not once an incident.
PG_SUMS = (
    "SUM(CASE WHEN response_met IS NOT NULL THEN 1 ELSE 0 END) AS decided, "
    "SUM(CASE WHEN response_met THEN 1 ELSE 0 END) AS met, "
    "SUM(CASE WHEN response_met IS NULL THEN 1 ELSE 0 END) AS pending"
)
PG_GROUPED = (
    "SELECT organisation_id, order_id, (opened_at AT TIME ZONE 'UTC')::date AS day, kind, severity, offering, "
    f"site_country, {PG_SUMS} FROM {{rows}} GROUP BY 1, 2, 3, 4, 5, 6, 7"
)
PG_TAKE = (
    "UPDATE incidents_attainmentday d SET decided = d.decided - g.decided, met = d.met - g.met, "
    f"pending = d.pending - g.pending FROM ({PG_GROUPED}) g WHERE d.order_id = g.order_id AND d.day = g.day "
    "AND d.kind = g.kind AND d.severity = g.severity AND d.offering = g.offering AND d.site_country = g.site_country"
)
PG_ADD = (
    f"INSERT INTO incidents_attainmentday ({COLUMNS}) {PG_GROUPED} "
    f"ON CONFLICT ({GROUP}) DO UPDATE SET decided = incidents_attainmentday.decided + excluded.decided, "
    "met = incidents_attainmentday.met + excluded.met, pending = incidents_attainmentday.pending + excluded.pending"
)
CHANGED_ROWS = (
    "(SELECT {side}.* FROM old_rows o JOIN new_rows n ON o.id = n.id WHERE "
    + " OR ".join(f"o.{c} IS DISTINCT FROM n.{c}" for c in COUNTED)
    + ") AS {side}_changed"
)
POSTGRES = [
    f"""
CREATE FUNCTION incidents_attainment_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {PG_ADD.format(rows="new_rows")};
  RETURN NULL;
END $$
""",
    f"""
CREATE FUNCTION incidents_attainment_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {PG_TAKE.format(rows="old_rows")};
  RETURN NULL;
END $$
""",
    f"""
CREATE FUNCTION incidents_attainment_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {PG_TAKE.format(rows=CHANGED_ROWS.format(side="o"))};
  {PG_ADD.format(rows=CHANGED_ROWS.format(side="n"))};
  RETURN NULL;
END $$
""",
    "CREATE TRIGGER incidents_attainment_insert AFTER INSERT ON incidents_incident "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION incidents_attainment_added()",
    "CREATE TRIGGER incidents_attainment_delete AFTER DELETE ON incidents_incident "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION incidents_attainment_removed()",
    "CREATE TRIGGER incidents_attainment_update AFTER UPDATE ON incidents_incident "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION incidents_attainment_changed()",
]
POSTGRES_DROP = [
    *(
        f"DROP TRIGGER IF EXISTS incidents_attainment_{t} ON incidents_incident"
        for t in ("insert", "delete", "update")
    ),
    *(f"DROP FUNCTION IF EXISTS incidents_attainment_{f}()" for f in ("added", "removed", "changed")),
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
