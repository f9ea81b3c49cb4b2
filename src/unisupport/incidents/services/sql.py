"""Opening an incident's writes in plain SQL (unisupport.plainsql), compiled once per process.

An incident is opened on every API call of a busy integration, and the ORM spent about a
millisecond of Python on each of its inserts (save, two bulk_create), plus a round trip each
and two more for BEGIN and COMMIT. On PostgreSQL the incident, its timeline and its milestones
are written by one statement (data-modifying CTEs), which is one transaction by itself; on
SQLite by three INSERTs in one transaction. Either way the rows are exactly those the ORM would
write: the columns and their database values come from the models' fields (``pre_save`` then
``get_db_prep_save``, as ``bulk_create`` does), so a new field is written here too and
``auto_now_add`` still applies. (On PostgreSQL those values travel as JSON, one document per
table, that the server reads back as rows of the table's type.)
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models import Field, Model
from django.utils.duration import duration_iso_string
from psycopg.types.json import Jsonb

from unisupport import plainsql
from unisupport.incidents.models import Incident, Milestone, TimelineEvent


def write_opening(
    incident: Incident, events: Sequence[TimelineEvent], milestones: Sequence[Milestone]
) -> None:
    """Insert a new ``incident`` with its timeline ``events`` and ``milestones`` in one transaction, setting their keys."""
    if not plainsql.on_postgresql():
        with transaction.atomic():
            plainsql.insert([incident])
            for event in events:
                event.incident = incident  # its key is known now
            for milestone in milestones:
                milestone.incident = incident
            plainsql.insert(events)
            plainsql.insert(milestones)
        return
    documents = [
        _documents([incident])[0],
        _documents(events, skip="incident_id"),
        _documents(milestones, skip="incident_id"),
    ]
    keys = plainsql.fetch(_opening_sql(), [json.dumps(document) for document in documents])
    # (table, key) rows: the incident's, then each table's keys, drawn in the order of the rows.
    incident.pk = next(key for table, key in keys if table == "i")
    plainsql.saved(incident)
    for event, key in zip(events, _keys(keys, "e"), strict=True):
        event.pk, event.incident = key, incident
        plainsql.saved(event)
    for milestone, key in zip(milestones, _keys(keys, "m"), strict=True):
        milestone.pk, milestone.incident = key, incident
        plainsql.saved(milestone)


def _keys(rows: list[tuple[Any, ...]], table: str) -> list[int]:
    return sorted(key for name, key in rows if name == table)


@cache
def _opening_sql() -> str:
    # PostgreSQL only. Each table's rows arrive as one JSON document (three parameters in all, so
    # that psycopg keeps the parsed statement), read as rows of the table's own type by
    # jsonb_populate_record(set): the columns' types come from the table, no cast is needed.
    # The children are inserted in the order of the document (WITH ORDINALITY), so that their keys
    # follow it: the timeline is ordered by instant, then key.
    key = plainsql.key_column(Incident)
    parts = [
        f"i AS (INSERT INTO {Incident._meta.db_table} ({plainsql.columns(Incident)}) "
        f"SELECT {plainsql.columns(Incident, prefix='r.')} FROM jsonb_populate_record(NULL::{Incident._meta.db_table}, %s) r "
        f"RETURNING {key})"
    ]
    for name, model in (("e", TimelineEvent), ("m", Milestone)):
        table, parent = model._meta.db_table, plainsql.column(model._meta.get_field("incident"))
        parts.append(
            f"{name} AS (INSERT INTO {table} ({plainsql.columns(model, skip='incident_id')}, {parent}) "
            f"SELECT {plainsql.columns(model, skip='incident_id', prefix='r.')}, i.{key} "
            f"FROM i, jsonb_populate_recordset(NULL::{table}, %s) WITH ORDINALITY r ORDER BY r.ordinality "
            f"RETURNING {plainsql.key_column(model)})"
        )
    keys = " UNION ALL ".join(
        f"SELECT '{name}', {plainsql.key_column(model)} FROM {name}"
        for name, model in (("i", Incident), ("e", TimelineEvent), ("m", Milestone))
    )
    return f"WITH {', '.join(parts)} {keys}"


def _documents(rows: Sequence[Model], *, skip: str | None = None) -> list[dict[str, Any]]:
    """Return each of ``rows`` as a JSON object of its database values by column."""
    if not rows:
        return []
    encoders = _encoders(type(rows[0]), skip)
    return [{column: encode(row) for column, encode in encoders} for row in rows]


Encoder = Callable[[Model], Any]


@cache
def _encoders(model: type[Model], skip: str | None) -> tuple[tuple[str, Encoder], ...]:
    # One function per column, that reads the row's value as the database takes it. Most values
    # are taken by the database as they are (keys, text, numbers, flags, JSON without an encoder)
    # or as their ISO text (aware times): those are read directly, at a tenth of what the field's
    # own pre_save and get_db_prep_save cost (sixty columns an incident opened). Anything else (a
    # value of another type, auto_now, durations, a JSON encoder, a field class of its own) goes
    # through the field's own methods, as the ORM would.
    return tuple((str(f.column), _encoder(f)) for f in plainsql.fields(model, skip=skip))


def _encoder(field: Field[Any, Any]) -> Encoder:
    name = field.attname

    def prepared(row: Model) -> Any:
        database = connections[DEFAULT_DB_ALIAS]  # (this thread's connection itself, not the proxy)
        return _json_value(field.get_db_prep_save(field.pre_save(row, True), database))

    kind = type(field)  # (the exact class: a subclass may prepare its values otherwise)
    if kind is models.JSONField and field.encoder is None:  # type: ignore[attr-defined]
        return lambda row: row.__dict__[name]
    if kind is models.DateTimeField and not (field.auto_now or field.auto_now_add):  # type: ignore[attr-defined]

        def instant(row: Model) -> Any:
            value = row.__dict__[name]
            if type(value) is dt.datetime and value.utcoffset() is not None:
                return value.isoformat()
            return None if value is None else prepared(row)

        return instant
    # The types each field passes on unchanged (CharField.to_python keeps any str, a text choice too).
    taken: type | None = {
        models.ForeignKey: int,  # (the product's keys are integers)
        models.CharField: str,
        models.TextField: str,
        models.BooleanField: bool,
        models.IntegerField: int,
        models.PositiveIntegerField: int,
    }.get(kind)
    if taken is None:
        return prepared

    exact = taken is int  # (not a bool, which is an int too)

    def direct(row: Model) -> Any:
        value = row.__dict__[name]
        if value is None or (type(value) is taken if exact else isinstance(value, taken)):
            return value
        return prepared(row)

    return direct


def _json_value(value: Any) -> Any:
    # A database value as JSON that PostgreSQL reads back into its column: jsonb as itself, times
    # in ISO 8601, intervals in ISO 8601 too.
    if isinstance(value, Jsonb):
        return value.obj
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return duration_iso_string(value)
    if isinstance(value, Decimal):
        return str(value)
    return value
