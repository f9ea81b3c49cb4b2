"""The CSAM's portfolio: one line per customer agreement they manage — credits used against the
plan, forfeiture at risk (credits left and the day they lapse), breaches this month, late
milestones, late contact reports (RSP-3). A handful of grouped queries, whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Sum

from unisupport.accounts.scope import Scope
from unisupport.domain.errors import Forbidden
from unisupport.domain.messages import Message, gettext_noop
from unisupport.incidents.models import Incident
from unisupport.ledger.models import LedgerAccount, LedgerEntry
from unisupport.orders.models import Agreement, ContactChange, OrderVersion
from unisupport.programmes.models import Milestone

COLUMNS = ("agreement", "customer", "credits_used", "credits_planned", "burn", "at_risk", "lapses_on",
           "breaches", "late_milestones", "late_contact_reports")  # fmt: skip


@dataclass(slots=True)
class _Credits:
    used: Decimal = Decimal(0)
    planned: Decimal = Decimal(0)
    left: Decimal = Decimal(0)
    lapses_on: dt.date | None = None


def portfolio(
    scope: Scope, *, now: dt.datetime, csam_id: int | None, sort: str = "agreement"
) -> list[dict[str, object]]:
    """Return one line per agreement (of ``csam_id`` when given), sorted by ``sort`` (a column; "-" first: descending)."""
    if not scope.is_vendor:
        raise Forbidden(Message(gettext_noop("the portfolio is the vendor's CSAMs' page")))
    agreements = Agreement.objects.select_related("organisation")
    if csam_id is not None:
        agreements = agreements.filter(csam_id=csam_id)
    rows = {a.pk: a for a in agreements}
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    versions = OrderVersion.objects.filter(
        version=F("order__current_version"), order__agreement_id__in=list(rows)
    )
    terms = {v["order_id"]: v for v in versions.values("order_id", "order__agreement_id", "start", "end")}
    granted = dict(
        LedgerEntry.objects.filter(order_id__in=list(terms), account__kind="credits", cause__startswith="order:")
        .values_list("order_id").annotate(total=Sum("amount"))
    )  # fmt: skip
    left = dict(
        LedgerAccount.objects.filter(order_id__in=list(terms), kind="credits")
        .values_list("order_id").annotate(total=Sum("balance"))
    )  # fmt: skip
    line: dict[int, _Credits] = defaultdict(_Credits)
    for order_id, term in terms.items():
        bought, rest = granted.get(order_id, Decimal(0)), left.get(order_id, Decimal(0))
        days = (term["end"] - term["start"]).days + 1
        elapsed = min(max((now.date() - term["start"]).days, 0), days)
        acc = line[term["order__agreement_id"]]
        acc.used += bought - rest
        acc.planned += bought * elapsed / days
        acc.left += rest
        if rest > 0:
            acc.lapses_on = min(acc.lapses_on, term["end"]) if acc.lapses_on else term["end"]
    breaches = dict(
        Incident.objects.filter(order__agreement_id__in=list(rows), response_met=False, opened_at__gte=month_start)
        .values_list("order__agreement_id").annotate(n=Count("pk"))
    )  # fmt: skip
    late = dict(
        Milestone.objects.filter(order__agreement_id__in=list(rows), state="pending", late_from__lte=now)
        .values_list("order__agreement_id").annotate(n=Count("pk"))
    )  # fmt: skip
    contacts = dict(
        ContactChange.objects.filter(contact__order__agreement_id__in=list(rows), late=True,
                                     reported_at__gte=now - dt.timedelta(days=90))
        .values_list("contact__order__agreement_id").annotate(n=Count("pk"))
    )  # fmt: skip
    result: list[dict[str, object]] = []
    for pk, agreement in rows.items():
        acc = line.get(pk, _Credits())
        result.append(
            {
                "agreement": agreement.code,
                "customer": agreement.organisation.name,
                "credits_used": int(acc.used),
                "credits_planned": int(acc.planned),
                "burn": int(acc.used * 100 / acc.planned) if acc.planned else None,
                "at_risk": int(acc.left),
                "lapses_on": acc.lapses_on,
                "breaches": breaches.get(pk, 0),
                "late_milestones": late.get(pk, 0),
                "late_contact_reports": contacts.get(pk, 0),
            }
        )
    key = sort.lstrip("-") if sort.lstrip("-") in COLUMNS else "agreement"
    result.sort(
        key=lambda r: (r[key] is None, r[key] if r[key] is not None else 0), reverse=sort.startswith("-")
    )
    return result
