"""The portal's "Consumption" page as data: balances, burn-down charts, amounts at risk, the statement."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from unisupport.accounts.scope import Scope
from unisupport.domain.countries import default_timezone
from unisupport.domain.term import Term
from unisupport.ledger.lots import movements, open_lots
from unisupport.ledger.models import AccountKind, LedgerAccount
from unisupport.ledger.presenters import reason_text, typed
from unisupport.ledger.selectors import StatementFilter, accounts_of, statement
from unisupport.orders.models import Order
from unisupport.orders.selectors import term_of, version_of
from unisupport.portal.charts import BurnDown, burn_down

STATEMENT_LIMIT = 50  # lines shown on the page (issue 16 §2: lists show 50); the CSV export has them all
COUNT_LIMIT = 10_000  # lines counted at most: past it, the page says "more than 10,000", in constant time


@dataclass(frozen=True, slots=True)
class AccountView:
    """One account of the page, with its chart (credits and hours) and its open lots."""

    row: LedgerAccount
    kind_label: str
    balance: object  # Credits, Hours, Events or Money: the template writes it for the reader
    chart: BurnDown | None
    lots: list[dict[str, object]]


def _lots(
    row: LedgerAccount, *, term: Term, today: date, deadline: date, last_debit_on: date | None
) -> list[dict[str, object]]:
    return [
        {
            "remaining": typed(row.kind, lot.remaining, row.currency),
            "expires_on": lot.expires_on,
            "days_left": (lot.expires_on - today).days,
            "expired": lot.expires_on < today,
            "past_deadline": today > deadline,
            "allocation": lot.allocation,
        }
        for lot in open_lots(row, term=term, last_debit_on=last_debit_on)
    ]


def consumption(
    scope: Scope, *, order: Order, site: str, at: datetime, filters: StatementFilter
) -> dict[str, object]:
    """Return what the Consumption page shows for one site of ``order`` at ``at`` (on the site's date)."""
    version = version_of(order)
    zone = next((s.timezone for s in version.sites.all() if s.country == site), None)
    term = term_of(version, at=at, timezone=zone or default_timezone(site))
    today = term.today
    domain_term = Term(version.start, version.end)
    labels = dict(AccountKind.choices)
    views: list[AccountView] = []
    rows = list(accounts_of(scope, order=order, site=site).select_related("order"))
    # One grouped query for every account's chart (a row a day), never the entries themselves.
    moved = movements(rows)
    for row in rows:
        chart, days = None, moved[row.pk]
        if row.kind in (AccountKind.CREDITS, AccountKind.HOURS):
            chart = burn_down(
                days.by_day, granted=days.granted, start=version.start, end=version.end, today=today
            )
        views.append(
            AccountView(
                row=row,
                kind_label=str(labels.get(row.kind, row.kind)),
                balance=typed(row.kind, row.balance, row.currency),
                chart=chart,
                lots=_lots(row, term=domain_term, today=today, deadline=term.request_deadline,
                           last_debit_on=days.last_debit_on),
            )
        )  # fmt: skip
    lines = statement(scope, order=order.number, filters=StatementFilter(
        filters.account, site, filters.kind, filters.rule, filters.date_from, filters.date_to
    ))  # fmt: skip
    total = lines.order_by()[: COUNT_LIMIT + 1].count()
    shown = list(lines.order_by("-serial")[:STATEMENT_LIMIT])[::-1]
    return {
        "version": version,
        "term": term,
        "sites": list(version.sites.all()),
        "site": site,
        "accounts": views,
        "charts": [v for v in views if v.chart is not None],
        "at_risk": [v for v in views if v.lots],
        "at_risk_count": sum(len(v.lots) for v in views),
        "lines": [{"entry": e, "reason": reason_text(e)} for e in shown],
        "total_lines": total,
        "counted_all": total <= COUNT_LIMIT,
        "count_limit": COUNT_LIMIT,
        "limited": total > len(shown),
    }
