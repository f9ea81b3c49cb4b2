"""The ledger as plain data for the CLI's --json and the API (one shape for both), as CSV, and an
entry's reason as the portal shows it."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from decimal import Decimal

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


def statement_csv(
    rows: Iterable[LedgerEntry], *, order: str, headers: Mapping[str, str] | None = None
) -> str:
    """Return the statement as CSV text, one line per entry, with a header.

    The API and the CLI write the English columns and audit reasons (their contract); the portal
    gives the reader's ``headers``, and then each reason is written in the reader's language too.
    Numbers always use a dot, dates ISO 8601."""
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=list(STATEMENT_COLUMNS), extrasaction="ignore", lineterminator="\n"
    )
    if headers is None:
        writer.writeheader()
    else:
        writer.writerow({k: headers.get(k, k) for k in STATEMENT_COLUMNS})
    for row in rows:
        line = {k: ("" if v is None else v) for k, v in entry_json(row, order=order).items()}
        if headers is not None:
            line["reason"] = reason_text(row)
        writer.writerow(line)
    return out.getvalue()


def reason_text(row: LedgerEntry) -> str:
    """Return an entry's reason in the active language (as stored, in English, when it kept no template)."""
    if not row.reason_i18n:
        return row.reason
    try:
        return localized(Message.from_json(row.reason_i18n))
    except (KeyError, TypeError, ValueError, ArithmeticError):
        return row.reason  # a template this version cannot read: the audit text is always there
