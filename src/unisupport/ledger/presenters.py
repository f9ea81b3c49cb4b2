"""The ledger as plain data for the CLI's --json and the API (one shape for both), as CSV, and an
entry's reason as the portal shows it."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from unisupport.domain.fees import CancellationFee
from unisupport.domain.messages import Message
from unisupport.domain.money import Credits, Events, Hours, Money
from unisupport.i18n import localized
from unisupport.ledger.models import AccountKind, LedgerEntry
from unisupport.ledger.selectors import STATEMENT_COLUMNS, entry_json, show
from unisupport.ledger.services import Posting

_UNITS = {AccountKind.CREDITS: Credits, AccountKind.HOURS: Hours, AccountKind.EVENTS: Events}


def typed(kind: str, amount: Decimal, currency: str | None) -> Credits | Hours | Events | Money:
    """Return ``amount`` of an account of ``kind`` as its unit, for a page to write in the reader's
    language ("700 credits", "392,5 h", "50 000,00 $US")."""
    unit = _UNITS.get(kind)  # type: ignore[call-overload]
    # Counted units without trailing zeros ("700", not "700.00" as PostgreSQL's sum gives them).
    return unit(Decimal(format(amount.normalize(), "f"))) if unit else Money(amount, currency or "USD")


def _balance(posting: Posting) -> str | None:
    last = posting.entries[-1] if posting.entries else None
    return None if last is None else show(last.account.kind, last.balance_after)


def redemption_json(
    posting: Posting, *, order: str, site: str, service: str, quantity: object
) -> dict[str, object]:
    """Return what a redemption did: the credits it cost (CRD-1), its rule and the balance after."""
    (entry,) = posting.entries
    return {
        "order": order,
        "site": site.upper(),
        "service": service,
        "quantity": str(quantity),
        "credits": int(-entry.amount),
        "rule": posting.rule,
        "balance": _balance(posting),
        "entries": posting.ids,
    }


def consumption_json(posting: Posting, *, order: str, site: str, service: str) -> dict[str, object]:
    """Return what an hours consumption did (HRS-1) and the block's balance after."""
    (entry,) = posting.entries
    return {
        "order": order,
        "site": site.upper(),
        "service": service,
        "hours": show("hours", -entry.amount),
        "rule": posting.rule,
        "balance": _balance(posting),
        "entries": posting.ids,
    }


def fee_json(fee: CancellationFee, posting: Posting | None = None) -> dict[str, object]:
    """Return the DEL-2 decision, with the entries posted when it was posted to a ledger account."""
    data = fee.as_dict()
    if posting is not None:
        data["entries"] = posting.ids
    return data


def statement_rows(rows: Iterable[LedgerEntry], *, order: str) -> list[dict[str, object]]:
    """Return statement lines as JSON-able data."""
    return [entry_json(r, order=order) for r in rows]


# What one statement line is read as, for the CSV: plain values, never a model (a million lines stream
# at the speed of the cursor). The order of STATEMENT_COLUMNS, with the reason's template last.
_CSV_VALUES = (
    "serial", "uid", "effective_on", "posted_at", "account__site", "account__kind", "account__service",
    "amount", "balance_after", "account__currency", "rule", "reason", "actor", "order_version", "cause",
    "expires_on", "compensates", "refunds", "forfeits", "linked", "reason_i18n",
)  # fmt: skip
CSV_CHUNK = 2000  # lines written, then handed to the response, at a time
FETCH_CHUNK = 10_000  # lines read from the cursor at a time (fewer round trips to PostgreSQL)


def _iso(value: Any) -> str:
    """Return a date or a datetime as ISO 8601, read as the driver gives it: aware on PostgreSQL,
    naive in UTC on SQLite (its converters parse the text it keeps)."""
    if value is None:
        return ""
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return str(value.isoformat())


def _amount(kind: str, value: Any) -> str:
    """Return an amount as its account writes it (``selectors.show``), from a Decimal, or SQLite's number."""
    return show(kind, value if isinstance(value, Decimal) else Decimal(str(value)))


def _csv_line(values: tuple[Any, ...], *, order: str, translated: bool) -> tuple[object, ...]:
    (serial, uid, effective_on, posted_at, site, kind, service, amount, balance, currency, rule, reason,
     actor, version, cause, expires_on, compensates, refunds, forfeits, linked, reason_i18n) = values  # fmt: skip
    if translated and reason_i18n:
        reason = _reason(reason, json.loads(reason_i18n) if isinstance(reason_i18n, str) else reason_i18n)
    account = "/".join(p for p in (order, site, kind, service) if p)
    return (
        serial, uid, _iso(effective_on), _iso(posted_at), account, site, kind, service or "",
        _amount(kind, amount), _amount(kind, balance), currency or "", rule, reason, actor, version, cause or "",
        _iso(expires_on), compensates, refunds, forfeits, linked,
    )  # fmt: skip


def _raw_values(rows: QuerySet[LedgerEntry]) -> Iterator[tuple[Any, ...]]:
    """Yield the statement's values as the database driver gives them, a chunk at a time from a
    server-side cursor on PostgreSQL: the ORM's conversions cost more than writing the CSV (issue 16)."""
    sql, params = rows.values_list(*_CSV_VALUES).query.sql_with_params()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(FETCH_CHUNK):
            yield from chunk


def statement_csv_chunks(
    rows: QuerySet[LedgerEntry], *, order: str, headers: Mapping[str, str] | None = None
) -> Iterator[str]:
    """Yield the statement as CSV text, a chunk at a time, one line per entry after a header, read
    from the database's cursor (server-side on PostgreSQL) as plain values.

    The API and the CLI write the English columns and audit reasons (their contract); the portal
    gives the reader's ``headers``, and then each reason is written in the reader's language too.
    Numbers always use a dot, dates ISO 8601."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([headers.get(k, k) for k in STATEMENT_COLUMNS] if headers else STATEMENT_COLUMNS)
    translated = headers is not None
    for count, values in enumerate(_raw_values(rows), start=1):
        writer.writerow(_csv_line(values, order=order, translated=translated))
        if count % CSV_CHUNK == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def statement_csv(
    rows: QuerySet[LedgerEntry], *, order: str, headers: Mapping[str, str] | None = None
) -> str:
    """Return the statement as CSV text (see :func:`statement_csv_chunks`)."""
    return "".join(statement_csv_chunks(rows, order=order, headers=headers))


def reason_text(row: LedgerEntry) -> str:
    """Return an entry's reason in the active language (as stored, in English, when it kept no template)."""
    return _reason(row.reason, row.reason_i18n) if row.reason_i18n else row.reason


def _reason(reason: str, template: Any) -> str:
    try:
        return localized(Message.from_json(template))
    except (KeyError, TypeError, ValueError, ArithmeticError):
        return reason  # a template this version cannot read: the audit text is always there
