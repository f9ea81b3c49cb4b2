"""Plain SQL for the hot paths (an incident opened, a ledger posting): the reads and the writes.

The ORM costs a fraction of a millisecond of Python to compile each statement, and PostgreSQL
plans each statement it receives as text; an incident opened through the API ran a dozen of
them. These few are written once, as text, and on PostgreSQL sent as prepared statements of
the connection (psycopg's own Cursor: Django's cursor binds parameters on the client, and
ignores ``prepare``), so that the server plans each once per connection. On SQLite they go
through Django's cursor. They bypass Django's cursor wrapper on PostgreSQL, and so its query log.

UNISUPPORT_PG_PREPARE=0 (settings.py) turns the preparing off, behind a pooler that cannot keep
prepared statements: the statements are then bound on the server and planned each time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, TypeVar, cast

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import DEFERRED, Field, Model

M = TypeVar("M", bound=Model)


def on_postgresql() -> bool:
    """Return whether the default database is PostgreSQL: the one test the hot paths branch on.

    On PostgreSQL they send one prepared statement where SQLite, whose write lock is the whole
    database's, takes the ORM-shaped path.
    """
    return connections[DEFAULT_DB_ALIAS].vendor == "postgresql"


def fetch(sql: str, params: Sequence[Any], *, read: bool = False) -> list[tuple[Any, ...]]:
    """Return the rows of ``sql`` (``%s`` placeholders; a statement that returns rows) run with ``params``.

    ``read``: the statement only reads, so it may be run twice (see below).
    """
    database = connections[DEFAULT_DB_ALIAS]  # (the connection itself, not the thread-local proxy)
    if database.vendor != "postgresql":
        with database.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    import psycopg  # (the PostgreSQL driver: not needed on SQLite)

    with database.wrap_database_errors:
        if read and _health_check_due(database):
            # Django checks a reused connection once per request (SELECT 1) before its first
            # statement. A read is as good a check, one round trip fewer: when the connection
            # turns out broken, it is replaced and the read run again, as after a failed check.
            cast(Any, database).health_check_done = True  # (attributes django-stubs does not know)
            try:
                return _run(database, sql, params)
            except psycopg.OperationalError:
                if database.connection is not None and not database.connection.broken:
                    raise
                database.close()
        else:
            database.close_if_health_check_failed()
        return _run(database, sql, params)


def _health_check_due(database: BaseDatabaseWrapper) -> bool:
    checks: Any = database  # (attributes django-stubs does not know)
    return (
        database.connection is not None
        and checks.health_check_enabled
        and not checks.health_check_done
        and not database.in_atomic_block
    )


def _run(database: BaseDatabaseWrapper, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    import psycopg

    database.ensure_connection()
    prepare = "prepare_threshold" in database.settings_dict["OPTIONS"]
    with psycopg.Cursor(database.connection) as cursor:
        cursor.execute(sql, params, prepare=prepare)
        return cursor.fetchall()


def loaded(model: type[M], names: Sequence[str], values: Sequence[Any]) -> M:
    """Return a ``model`` instance with the fields ``names`` read as ``values`` from the database (the others deferred).

    The values are converted as the ORM converts a column it reads (SQLite's text dates …).
    """
    attnames, converters = _converters(model, tuple(names))
    read = {name: convert(value) for name, convert, value in zip(attnames, converters, values, strict=True)}
    # from_db takes the values in the model's field order, DEFERRED for those not read.
    fields = model._meta.concrete_fields
    return model.from_db(connection.alias, list(attnames), [read.get(f.attname, DEFERRED) for f in fields])


@cache
def _converters(
    model: type[Model], names: tuple[str, ...]
) -> tuple[tuple[str, ...], list[Callable[[Any], Any]]]:
    attnames: list[str] = []
    converters: list[Callable[[Any], Any]] = []
    for name in names:
        field = model._meta.get_field(name)
        column = field.get_col(model._meta.db_table)  # type: ignore[union-attr]
        steps = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        attnames.append(field.attname)  # type: ignore[union-attr]
        converters.append(_chain(steps, column))
    return tuple(attnames), converters


def _chain(steps: list[Any], column: Any) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        for step in steps:
            value = step(value, column, connection)
        return value

    return convert


# -- inserting model instances: the rows the ORM would write, from the models' own fields ---------


@cache
def fields(model: type[Model], *, skip: str | None = None) -> list[Field[Any, Any]]:
    """Return the columns a new row of ``model`` is inserted with (all but the automatic key and ``skip``)."""
    return [f for f in model._meta.concrete_fields if f is not model._meta.pk and f.attname != skip]


def values(row: Model, *, skip: str | None = None) -> list[Any]:
    """Return ``row``'s database values for :func:`fields`, as ``bulk_create`` prepares them (``auto_now_add`` too)."""
    return [f.get_db_prep_save(f.pre_save(row, True), connection) for f in fields(type(row), skip=skip)]


def column(field: Field[Any, Any]) -> str:
    """Return the quoted column of ``field``."""
    assert field.column is not None
    return connection.ops.quote_name(field.column)


def columns(model: type[Model], *, skip: str | None = None, prefix: str = "") -> str:
    """Return the quoted columns of :func:`fields`, comma-separated, each behind ``prefix`` (a table alias)."""
    return ", ".join(prefix + column(f) for f in fields(model, skip=skip))


def key_column(model: type[Model]) -> str:
    """Return the quoted column of ``model``'s primary key."""
    assert model._meta.pk is not None
    return column(model._meta.pk)


@cache
def insert_sql(model: type[Model], rows: int) -> str:
    """Return the INSERT of ``rows`` new rows of ``model`` (``%s`` placeholders) that returns their keys."""
    row = "(" + ", ".join(["%s"] * len(fields(model))) + ")"
    placeholders = ", ".join([row] * rows)
    return f"INSERT INTO {model._meta.db_table} ({columns(model)}) VALUES {placeholders} RETURNING {key_column(model)}"


def insert(rows: Sequence[M]) -> None:
    """Insert ``rows`` (new instances of one model, with an automatic primary key) in one statement, setting their keys."""
    if not rows:
        return
    params: list[Any] = []
    for row in rows:  # (their related objects are saved already: the foreign keys hold their ids)
        params += values(row)
    with connection.cursor() as cursor:
        cursor.execute(insert_sql(type(rows[0]), len(rows)), params)
        keys = [key for (key,) in cursor.fetchall()]
    set_keys(rows, keys)


def set_keys(rows: Sequence[Model], keys: Sequence[Any]) -> None:
    """Give ``rows`` the ``keys`` an INSERT returned and mark them saved.

    PostgreSQL and SQLite return the keys in the order of the VALUES (Django's bulk_create relies on it).
    """
    for row, key in zip(rows, keys, strict=True):
        row.pk = key
        saved(row)


def is_new(row: Model) -> bool:
    """Return whether ``row`` has not been written yet (Django's private ``_state``, read here only)."""
    return bool(row._state.adding)


def saved(row: Model) -> None:
    """Mark ``row`` as read from, or written to, this connection's database."""
    row._state.adding, row._state.db = False, connection.alias


def keep_prefetched(instance: Model, name: str, rows: Sequence[Model]) -> None:
    """Return None; make ``instance.<name>.all()`` answer from ``rows``, as prefetch_related(name) would.

    filter(), values_list() … on the relation still query, and a write through it drops ``rows``.
    Django's own caches (``_result_cache``, ``_prefetched_objects_cache``) are set here and nowhere
    else; tests/services/test_plainsql_django.py pins them to the Django version.
    """
    related = getattr(instance, name).all()
    related._result_cache = list(rows)
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    cache[name] = related
