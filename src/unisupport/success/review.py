"""The monthly service review of an order (issue 14 §4): what the month consumed against the plan,
what is at risk of forfeiture and by when (DEL-1), incidents by severity with response attainment
per offering and site, breaches, deliveries done and planned, programme milestones, the success
plan's objectives and the contacts to update (RSP-1, RSP-3). Every figure is aggregated in the
database: an order with 100,000 incidents costs the same few queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, Sum

from unisupport.accounts.scope import Scope
from unisupport.deliveries.models import Delivery
from unisupport.domain.fees import request_deadline
from unisupport.domain.money import plain
from unisupport.domain.programmes import add_months
from unisupport.incidents.models import Incident
from unisupport.ledger.models import LedgerAccount, LedgerEntry
from unisupport.orders.models import ContactChange, Order, OrderVersion
from unisupport.orders.policy import current_policy
from unisupport.orders.selectors import host_zone, missing_administrator
from unisupport.programmes.models import Milestone
from unisupport.programmes.selectors import order_in_scope
from unisupport.success.models import Objective

BREACHES_SHOWN = 20


def month_bounds(month: dt.date, zone: str) -> tuple[dt.datetime, dt.datetime]:
    """Return the first instant of ``month`` and of the next one at the host site, in UTC."""
    first = month.replace(day=1)
    after = add_months(first, 1)
    tz = ZoneInfo(zone)
    return (
        dt.datetime.combine(first, dt.time(), tzinfo=tz).astimezone(dt.UTC),
        dt.datetime.combine(after, dt.time(), tzinfo=tz).astimezone(dt.UTC),
    )


def _attainment(met: int, decided: int) -> str | None:
    return f"{Decimal(met * 100) / decided:.1f}" if decided else None


def _by(rows: object, key: str) -> list[dict[str, object]]:
    return [
        {
            key: r[key] or "—",
            "incidents": r["n"],
            "met": r["met"],
            "decided": r["decided"],
            "attainment": _attainment(r["met"], r["decided"]),
        }
        for r in rows  # type: ignore[attr-defined]
    ]


def monthly_review(scope: Scope, *, order: str, month: dt.date, at: dt.datetime) -> dict[str, object]:
    """Return the review of ``order`` for ``month`` (its host site's calendar month), as of ``at``."""
    found: Order = order_in_scope(scope, order)
    version = OrderVersion.objects.get(order=found, version=found.current_version)
    zone = host_zone(version)
    start, end = month_bounds(month, zone)
    incidents = Incident.objects.filter(order=found, opened_at__gte=start, opened_at__lt=end)
    counted = {
        "n": Count("pk"),
        "met": Count("pk", filter=Q(response_met=True)),
        "decided": Count("pk", filter=Q(response_met__isnull=False)),
    }
    totals = incidents.aggregate(**counted)
    breaches = list(
        incidents.filter(response_met=False)
        .order_by("opened_at")
        .values("pk", "severity", "title", "offering", "site_country", "response_due_at", "rules")[
            :BREACHES_SHOWN
        ]
    )
    # What the month consumed, per account, and what each account holds and was granted.
    used = dict(
        LedgerEntry.objects.filter(order=found, posted_at__gte=start, posted_at__lt=end, amount__lt=0)
        # Forfeitures, assignments and exchanges move value; they are not consumption.
        .exclude(rule__in=["ORD-5", "FLX-2", "FLX-4", "FLX-5", "MC-7", "ORD-2"])
        .values_list("account_id")
        .annotate(total=Sum("amount"))
    )
    granted = dict(
        LedgerEntry.objects.filter(order=found, cause__startswith="order:")
        .values_list("account_id")
        .annotate(total=Sum("amount"))
    )
    term_days = (version.end - version.start).days + 1
    elapsed = min(max((end.astimezone(ZoneInfo(zone)).date() - version.start).days, 0), term_days)
    accounts: list[dict[str, str | None]] = []
    # The allocation's pool is assigned to services at execution (FLX-5): the assignments are shown.
    rows = (
        LedgerAccount.objects.filter(order=found).exclude(kind="money").exclude(kind="allocation", service="")
    )
    for row in rows.order_by("site", "kind", "service"):
        bought = granted.get(row.pk, Decimal(0))
        planned_use = bought * elapsed / term_days if term_days else Decimal(0)
        accounts.append(
            {
                "site": row.site,
                "kind": row.kind,
                "service": row.service or None,
                "currency": row.currency or None,
                "granted": str(plain(bought)),
                "balance": str(plain(row.balance)),
                "used_this_month": str(plain(-used.get(row.pk, Decimal(0)))),
                "used": str(plain(bought - row.balance)),
                "planned_use": str(plain(planned_use.quantize(Decimal("0.01")))),
            }
        )
    deadline = request_deadline(version.end, lead_days=current_policy().request_lead_days)
    local_start, local_end = start.astimezone(ZoneInfo(zone)).date(), end.astimezone(ZoneInfo(zone)).date()
    deliveries = Delivery.objects.filter(order=found)
    return {
        "order": found.number,
        "customer": version.customer_name,
        "month": month.strftime("%Y-%m"),
        "period": {
            "from": local_start.isoformat(),
            "to": (local_end - dt.timedelta(days=1)).isoformat(),
            "timezone": zone,
        },
        "term": {"start": version.start.isoformat(), "end": version.end.isoformat()},
        "consumption": accounts,
        "at_risk": {
            "accounts": [a for a in accounts if Decimal(str(a["balance"])) > 0],
            "expires_on": version.end.isoformat(),
            "requests_in_full_until": deadline.isoformat(),
            "rules": ["ORD-5", "DEL-1"],
        },
        "incidents": {
            "opened": totals["n"],
            "met": totals["met"],
            "decided": totals["decided"],
            "attainment": _attainment(totals["met"], totals["decided"]),
            "by_severity": _by(
                incidents.values("severity").annotate(**counted).order_by("severity"), "severity"
            ),
            "by_offering": _by(
                incidents.values("offering").annotate(**counted).order_by("offering"), "offering"
            ),
            "by_site": _by(
                incidents.values("site_country").annotate(**counted).order_by("site_country"), "site_country"
            ),
            "rules": ["SEV-2", "SEV-7"],
        },
        "breaches": [
            {
                "incident": b["pk"],
                "severity": b["severity"],
                "title": b["title"],
                "offering": b["offering"],
                "site": b["site_country"],
                "due": b["response_due_at"].isoformat() if b["response_due_at"] else None,
                "cause": ", ".join(b["rules"]) or None,
            }
            for b in breaches
        ],
        "deliveries": {
            "done": deliveries.filter(
                state="delivered", scheduled_on__gte=local_start, scheduled_on__lt=local_end
            ).count(),
            "planned": list(
                deliveries.filter(state="scheduled", scheduled_on__gte=local_end)
                .order_by("scheduled_on")
                .values("pk", "service_id", "scheduled_on", "site")[:10]
            ),
        },
        "milestones": {
            "late": Milestone.objects.filter(order=found, state="pending", late_from__lte=at).count(),
            "done_this_month": Milestone.objects.filter(
                order=found, done_at__gte=start, done_at__lt=end
            ).count(),
            "next": list(
                Milestone.objects.filter(order=found, state="pending", due__gte=local_end)
                .order_by("due")
                .values("pk", "rule", "due")[:5]
            ),
        },
        "objectives": list(
            Objective.objects.filter(plan__agreement=found.agreement)
            .order_by("pk")
            .values("title", "state", "target", "outcome")
        ),
        "contacts": {
            "missing_administrator": missing_administrator(found),
            "late_changes": ContactChange.objects.filter(
                contact__order=found, late=True, reported_at__gte=start, reported_at__lt=end
            ).count(),
            "rules": ["RSP-1", "RSP-3"],
        },
    }
