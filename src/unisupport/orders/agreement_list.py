"""The vendor's list of agreements ("My customers"): search, sort, filters and pages in a bounded number of queries.

Whatever the number of agreements: one count, one page of agreements (with their term end
computed in SQL) and one read of the page's orders — never a query per row.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import F, Max, Q, QuerySet

from unisupport.accounts.scope import Scope
from unisupport.domain.countries import default_timezone
from unisupport.domain.lines import ended_by_termination
from unisupport.orders.models import Agreement, Order
from unisupport.orders.selectors import agreements_for

PAGE_SIZE = 50
SORTS = {
    "customer": ("organisation__name", "code"),
    "code": ("code",),
    "term-end": (F("term_end").asc(nulls_last=True), "code"),
    "-term-end": (F("term_end").desc(nulls_last=True), "code"),
    "country": ("host_country", "code"),
}
STANDINGS = ("in-force", "ended")


@dataclass(frozen=True, slots=True)
class AgreementRow:
    """One agreement as the list shows it."""

    agreement: Agreement
    orders: tuple[str, ...]
    term_end: dt.date | None
    terminated: bool
    expired: bool

    @property
    def ended(self) -> bool:
        """Return True when the agreement no longer serves: terminated (ORD-2) or past its term end."""
        return self.terminated or self.expired


@dataclass(frozen=True, slots=True)
class AgreementPage:
    """A page of the list, with what the page links need."""

    rows: list[AgreementRow]
    total: int
    page: int

    @property
    def pages(self) -> int:
        """Return the number of pages (at least one)."""
        return max(1, -(-self.total // PAGE_SIZE))


def _matching(
    scope: Scope, *, csam_of: int | None, query: str, standing: str, today: dt.date
) -> QuerySet[Agreement]:
    """Return the visible agreements matching the filters, with ``term_end`` (the latest current version's end)."""
    rows = (
        agreements_for(scope)
        .select_related("csam")
        .annotate(
            term_end=Max(
                "orders__versions__end", filter=Q(orders__versions__version=F("orders__current_version"))
            )
        )
    )
    if csam_of is not None:
        rows = rows.filter(csam_id=csam_of)
    if query:
        numbers = Order.objects.filter(number__icontains=query).values("agreement_id")
        rows = rows.filter(
            Q(organisation__name__icontains=query) | Q(code__icontains=query) | Q(pk__in=numbers)
        )
    # The filter reads the day in UTC (one WHERE clause); each row's mark reads its host site's day.
    if standing == "ended":
        rows = rows.filter(Q(terminated_on__lt=today) | Q(term_end__lt=today))
    elif standing == "in-force":
        rows = rows.filter(Q(terminated_on__isnull=True) | Q(terminated_on__gte=today)).filter(
            Q(term_end__isnull=True) | Q(term_end__gte=today)
        )
    return rows


def agreement_page(
    scope: Scope,
    *,
    at: dt.datetime,
    csam_of: int | None = None,
    query: str = "",
    standing: str = "",
    sort: str = "customer",
    page: int = 1,
) -> AgreementPage:
    """Return page ``page`` (50 rows) of the agreements ``scope`` sees, filtered and sorted; ended ones marked (ORD-2)."""
    rows = _matching(scope, csam_of=csam_of, query=query.strip(), standing=standing, today=at.date())
    total = rows.count()
    last = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), last)
    found = list(
        rows.order_by(*SORTS.get(sort, SORTS["customer"]))[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    )
    numbers: dict[int, list[str]] = defaultdict(list)
    for agreement_id, number in Order.objects.filter(agreement__in=[a.pk for a in found]).values_list(
        "agreement_id", "number"
    ):
        numbers[agreement_id].append(number)
    return AgreementPage([_row(a, numbers[a.pk], at) for a in found], total, page)


def _row(agreement: Agreement, numbers: list[str], at: dt.datetime) -> AgreementRow:
    """Return ``agreement``'s row, its standing read on its host site's date (ORD-1, ORD-2)."""
    day = at.astimezone(ZoneInfo(default_timezone(agreement.host_country))).date()
    end: dt.date | None = getattr(agreement, "term_end", None)
    return AgreementRow(
        agreement=agreement,
        orders=tuple(sorted(numbers)),
        term_end=end,
        terminated=ended_by_termination(terminated_on=agreement.terminated_on, day=day),
        expired=end is not None and day > end,
    )
