"""The order rules: what makes a set of orders a valid agreement (CAT, ORD, MC and FLX rules).

``check_orders`` looks at the orders of a file together with the orders of the same agreements
already on record (``existing``), because several rules speak of the agreement, not the order:
a decentralized agreement (MC-2) keeps foundational on one order and add-ons on others.
Only the file's orders receive findings; the existing ones are context.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from unisupport.domain.allocation import custom_proactive_cap
from unisupport.domain.catalog import Catalog, Category, Service
from unisupport.domain.findings import Verdict
from unisupport.domain.messages import quoted
from unisupport.domain.order_file import LineSpec, OrderDocument, SiteSpec
from unisupport.domain.policy import Policy
from unisupport.domain.service_codes import (
    COMPANION,
    CUSTOM_PROACTIVE,
    FOUNDATIONAL,
    MSCIR,
    PLATFORM,
    PLATFORM_PLUS,
    RSM_ADDON,
    SINGLE_LOCATION,
    UER,
)


@dataclass(frozen=True, slots=True)
class AgreementView:
    """The orders of one agreement: those being checked and those already on record."""

    code: str
    checked: tuple[OrderDocument, ...]
    others: tuple[OrderDocument, ...]

    @property
    def orders(self) -> tuple[OrderDocument, ...]:
        """Return every order of the agreement."""
        return self.checked + self.others

    def services(self) -> set[str]:
        """Return every service bought on any order of the agreement."""
        return {code for order in self.orders for code in order.services()}

    def foundational_orders(self) -> list[OrderDocument]:
        """Return the orders holding foundational at the host site (MC-1)."""
        return [o for o in self.orders if o.host_site and FOUNDATIONAL in o.host_site.services()]


def check_orders(
    documents: Sequence[OrderDocument],
    *,
    existing: Iterable[OrderDocument] = (),
    catalog: Catalog,
    policy: Policy,
    verdict: Verdict,
) -> Verdict:
    """Check ``documents`` against the rules, adding findings to ``verdict``; return it."""
    grouped: dict[str, list[OrderDocument]] = defaultdict(list)
    for doc in documents:
        grouped[doc.agreement].append(doc)
    replaced = {doc.order for doc in documents}
    stored: dict[str, list[OrderDocument]] = defaultdict(list)
    for doc in existing:
        if doc.order not in replaced:
            stored[doc.agreement].append(doc)
    for code, docs in grouped.items():
        view = AgreementView(code, tuple(docs), tuple(stored[code]))
        _check_agreement(view, catalog, policy, verdict)
        for doc in docs:
            _check_order(doc, view, catalog, policy, verdict)
    return verdict


def _check_agreement(view: AgreementView, catalog: Catalog, policy: Policy, v: Verdict) -> None:
    hosts = {o.host for o in view.orders}
    if len(hosts) > 1:
        # The orders on record set the host; within a file, the first order does.
        first = (view.others or view.checked)[0]
        for doc in view.checked:
            if doc.host != first.host:
                v.error(
                    "MC-1",
                    f"{doc.order}.host",
                    f"MC-1: agreement {view.code} has one host site; order {doc.order} names {doc.host} "
                    f"but order {first.order} names {first.host}",
                )
    customers = {o.customer for o in view.orders}
    if len(customers) > 1:
        for doc in view.checked:
            v.error(
                None,
                f"{doc.order}.customer",
                f"{doc.order}.customer: agreement {view.code} belongs to one customer, "
                f"the file names {', '.join(sorted(customers))}",
            )
            v.unreadable = True


def _check_order(
    doc: OrderDocument, view: AgreementView, catalog: Catalog, policy: Policy, v: Verdict
) -> None:
    known: list[tuple[SiteSpec, LineSpec, Service]] = []
    for site, line in doc.lines():
        service = catalog.services.get(line.service)
        path = f"{doc.order}.{line.path}"
        if service is None:
            v.error("CAT-1", f"{path}.service", f"CAT-1: unknown service code {quoted(line.service)}")
            continue
        if site.country in service.not_sold_in:
            v.error("CAT-2", f"{path}.service", f"CAT-2: {service.name_en} is not sold in {site.country}")
        if service.unit.whole_units and line.quantity != line.quantity.to_integral_value():
            v.error(
                None,
                f"{path}.quantity",
                f"{path}.quantity: {service.code} is bought in whole units, got {line.quantity}",
            )
            v.unreadable = True
        known.append((site, line, service))
    _check_foundational(doc, view, known, v)
    _check_prerequisites(doc, view, known, policy, v)
    _check_sites(doc, known, policy, v)
    if doc.flexible_allocation is not None:
        _check_allocation(doc, catalog, policy, v)


def _check_foundational(
    doc: OrderDocument, view: AgreementView, known: list[tuple[SiteSpec, LineSpec, Service]], v: Verdict
) -> None:
    for site, line, service in known:
        if service.is_foundational and site.country != doc.host:
            v.error(
                "MC-1",
                f"{doc.order}.{line.path}.service",
                f"MC-1: foundational is contracted at the host site ({doc.host}), not at downstream site {site.country}",
            )
    holders = view.foundational_orders()
    if not holders:
        if doc.host_site is not None:
            v.error(
                "MC-1",
                f"{doc.order}.{doc.host_site.path}",
                f"MC-1: the host site {doc.host} must hold foundational; no order of agreement {view.code} does",
            )
        for _site, line, service in known:
            if service.is_foundational:
                continue
            if service.code == MSCIR:
                message = (
                    f"ORD-1: {service.name_en} is bought as an extension of an existing Unified agreement: "
                    f"agreement {view.code} has no foundational services"
                )
            else:
                message = f"ORD-1: {service.name_en} requires foundational services on agreement {view.code}, which has none"
            v.error("ORD-1", f"{doc.order}.{line.path}.service", message)
        return
    if any(h.order == doc.order for h in holders):
        return
    # A decentralized add-on order (MC-2): foundational must be active during its term.
    if not any(h.start <= doc.start <= h.end for h in holders):
        v.error(
            "ORD-1",
            f"{doc.order}.start",
            f"ORD-1: no active foundational services on agreement {view.code} on {doc.start} "
            f"(foundational runs {_terms(holders)})",
        )
        return
    last_end = _continuous_until(holders, doc.start)
    if doc.end > last_end:
        v.warn(
            "ORD-2",
            f"{doc.order}.end",
            f"ORD-2: the add-ons of order {doc.order} end on {last_end} with the foundational services, "
            f"not on {doc.end}, with no prorated refund",
        )


def _continuous_until(holders: Sequence[OrderDocument], day: date) -> date:
    """Return the last day of the unbroken run of foundational terms that covers ``day`` (ORD-2).

    Foundational held by one order in 2026 and by the next in 2027 is continuous: an add-on
    running across both does not end with the first.
    """
    until = max(h.end for h in holders if h.start <= day <= h.end)
    while True:
        later = [h.end for h in holders if h.start <= until + timedelta(days=1) and h.end > until]
        if not later:
            return until
        until = max(later)


def _terms(orders: Sequence[OrderDocument]) -> str:
    return ", ".join(f"{o.start} to {o.end} ({o.order})" for o in orders)


def _check_prerequisites(
    doc: OrderDocument,
    view: AgreementView,
    known: list[tuple[SiteSpec, LineSpec, Service]],
    policy: Policy,
    v: Verdict,
) -> None:
    agreement_services = view.services()
    for _site, line, service in known:
        path = f"{doc.order}.{line.path}"
        if service.code == COMPANION and not agreement_services & {PLATFORM, PLATFORM_PLUS}:
            v.error(
                "ORD-3",
                f"{path}.service",
                f"ORD-3: {service.name_en} requires MCS for Azure Platform or MCS for Azure Platform Plus "
                f"on agreement {view.code}",
            )
        if service.code == PLATFORM_PLUS and not _qualifies_for_plus(doc, policy):
            spend = "not stated" if doc.assessed_azure_spend is None else f"USD {doc.assessed_azure_spend:,}"
            v.error(
                "ORD-4",
                f"{path}.service",
                f"ORD-4: Plus features need an assessed product spend of at least USD "
                f"{policy.plus_tier_min_assessed_spend_usd:,} (here: {spend}) or the extended-features floor "
                f"price elected on the order (plus_floor_price_elected: true)",
            )
        if service.code == PLATFORM and _qualifies_for_plus(doc, policy):
            v.warn(
                "ORD-4",
                f"{path}.service",
                "ORD-4: this customer qualifies for Plus features, but only an order marked "
                "mcs-azure-platform-plus gets them; the tier is fixed for the whole term",
            )
        if service.max_quantity is not None and line.quantity > service.max_quantity:
            v.error(
                "ORD-7",
                f"{path}.quantity",
                f"ORD-7: {service.name_en} can be bought only within its quantity limit "
                f"({service.max_quantity}); the line asks for {line.quantity}",
            )
        if service.needs_vendor_acceptance:
            v.warn(
                "ORD-8",
                f"{path}.service",
                f"ORD-8: {service.name_en} is subject to resource availability: the line awaits the vendor's "
                "acceptance or refusal",
            )
        if service.code == RSM_ADDON and line.timezone is None:
            v.warn(
                "HRS-5",
                f"{path}.timezone",
                "HRS-5: the time zone agreed in writing for the reactive support management add-on is not "
                "recorded on the line; the site's time zone will be used until it is",
            )


def _qualifies_for_plus(doc: OrderDocument, policy: Policy) -> bool:
    spend = doc.assessed_azure_spend
    return doc.plus_floor_price_elected or (
        spend is not None and spend >= policy.plus_tier_min_assessed_spend_usd
    )


def _check_sites(
    doc: OrderDocument, known: list[tuple[SiteSpec, LineSpec, Service]], policy: Policy, v: Verdict
) -> None:
    located: dict[str, list[tuple[SiteSpec, LineSpec]]] = defaultdict(list)
    for site, line, service in known:
        if service.code in SINGLE_LOCATION:
            located[service.code].append((site, line))
        if service.code == UER and site.country != doc.host:
            v.error(
                "MC-10",
                f"{doc.order}.{line.path}.service",
                f"MC-10: Unified Enhanced Response is bought for the host country ({doc.host}) only, "
                f"not for downstream site {site.country}; it is delivered remotely to every site",
            )
    for code, places in located.items():
        sites = sorted({site.country for site, _ in places})
        if len(sites) > 1:
            for _site, line in places[1:]:
                v.error(
                    "ORD-6",
                    f"{doc.order}.{line.path}.service",
                    f"ORD-6: {code} is delivered at a single support location named on the order; "
                    f"this order places it at {', '.join(sites)}",
                )
    countries = [s.country for s in doc.sites]
    if len(set(countries)) > 1:
        for site in doc.sites:
            if site.country in policy.mc5_dedicated_order_countries:
                others = ", ".join(c for c in countries if c != site.country)
                v.error(
                    "MC-5",
                    f"{doc.order}.{site.path}.country",
                    f"MC-5: {site.country} has local requirements: its site needs a separate order of its own "
                    f"(this order also has {others})",
                )


def _check_allocation(doc: OrderDocument, catalog: Catalog, policy: Policy, v: Verdict) -> None:
    allocation = doc.flexible_allocation
    assert allocation is not None
    path = f"{doc.order}.{allocation.path}"
    foundational = [
        line for site, line in doc.lines() if line.service == FOUNDATIONAL and site.country == doc.host
    ]
    list_price = next(
        (line.list_price or line.price for line in foundational if (line.list_price or line.price)), None
    )
    if not foundational:
        v.error(
            "FLX-7",
            f"{path}.amount",
            "FLX-7: the flexible allocation is a portion of the foundational package's list price; "
            "this order has no foundational line",
        )
    elif list_price is None:
        v.error(
            "FLX-7",
            f"{path}.amount",
            "FLX-7: the foundational line needs its list_price to carry a flexible allocation",
        )
    elif allocation.amount > list_price:
        v.error(
            "FLX-7",
            f"{path}.amount",
            f"FLX-7: the flexible allocation ({_amount(allocation.amount, doc)}) exceeds the foundational "
            f"list price ({_amount(list_price, doc)})",
        )
    assigned = Decimal(0)
    custom = Decimal(0)
    for a in allocation.assignments:
        assigned += a.amount
        service = catalog.services.get(a.service)
        a_path = f"{doc.order}.{a.path}.service"
        if service is None:
            v.error("CAT-1", a_path, f"CAT-1: unknown service code {quoted(a.service)}")
            continue
        if service.category is Category.SUCCESS_MANAGEMENT or service.code == "success-management":
            v.error(
                "FLX-3",
                a_path,
                "FLX-3: the flexible allocation cannot be applied to success management services",
            )
        elif service.is_included or service.is_foundational:
            v.error(
                "CAT-1",
                a_path,
                f"CAT-1: {service.name_en} is part of the foundational services ({service.inclusion.mark}); "
                "there is nothing to buy with the flexible allocation",
            )
        elif not service.allocation_eligible:
            v.error(
                "FLX-3",
                a_path,
                f"FLX-3: {service.name_en} cannot be bought with the flexible allocation, which applies to "
                "proactive services, critical and strategic services, enhanced solutions, proactive credits and "
                "custom proactive services (§2.2), not to success or service delivery management",
            )
        if a.service == CUSTOM_PROACTIVE:
            custom += a.amount
    if assigned > allocation.amount:
        v.error(
            "FLX-6",
            f"{path}.assignments",
            f"FLX-6: the assignments add up to {_amount(assigned, doc)}, more than the allocation "
            f"({_amount(allocation.amount, doc)})",
        )
    if custom:
        limit = custom_proactive_cap(
            amount=allocation.amount, currency=doc.currency, usd_rate=doc.usd_rate, policy=policy
        )
        if custom > limit:
            share = int(policy.custom_proactive_share * 100)
            v.error(
                "FLX-1",
                f"{path}.assignments",
                f"FLX-1: custom proactive services may take at most the greater of {share} % of the allocation "
                f"and USD {policy.custom_proactive_floor_usd:,} ({_amount(limit, doc)} here); "
                f"the assignments give them {_amount(custom, doc)}",
            )
    unassigned = allocation.amount - assigned
    if unassigned > 0:
        v.warn(
            "FLX-5",
            f"{path}.assignments",
            f"FLX-5: {_amount(unassigned, doc)} of the flexible allocation is not assigned at contract "
            "execution and will be forfeited",
            amount=str(unassigned),
        )


def _amount(value: Decimal, doc: OrderDocument) -> str:
    return f"{doc.currency} {value:,.2f}"
