"""Writes for orders: validate an order file, and import it atomically (ORD-9 versions).

The CLI, the API and the portal all call these two functions, so that one file gets one
verdict whichever way it comes in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import yaml
from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction

from unisupport.accounts.permissions import can_manage_orders, require
from unisupport.accounts.scope import Scope
from unisupport.accounts.services import customer_organisation
from unisupport.catalog.selectors import current_catalog
from unisupport.domain.findings import Verdict
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.order_file import OrderDocument, read_order_file
from unisupport.domain.order_rules import check_orders
from unisupport.orders.events import version_bought
from unisupport.orders.models import (
    Agreement,
    AllocationAssignment,
    FlexibleAllocation,
    LineStatus,
    Order,
    OrderLine,
    OrderVersion,
    Site,
    SiteRole,
)
from unisupport.orders.policy import current_policy
from unisupport.orders.selectors import stored_documents

IMPORT_REFUSAL = Message(gettext_noop("only the vendor's CSAMs and back office validate and import orders"))
DECISION_REFUSAL = Message(
    gettext_noop("only the vendor's CSAMs and back office terminate agreements and decide on order lines")
)


@dataclass(slots=True)
class Checked:
    """A validated file: its verdict and, when readable, its orders."""

    verdict: Verdict
    documents: list[OrderDocument]


def validate_order_file(*, scope: Scope, text: str) -> Checked:
    """Return the verdict on an order file, checked with the agreements already on record."""
    require(scope, can_manage_orders, IMPORT_REFUSAL, field=None)
    verdict = Verdict()
    policy = current_policy()
    documents = read_order_file(
        text, verdict, max_bytes=policy.order_file_max_bytes, max_orders=policy.order_file_max_orders
    )
    if documents:
        existing = stored_documents(agreements={d.agreement for d in documents})
        check_orders(
            documents, existing=existing, catalog=current_catalog(), policy=current_policy(), verdict=verdict
        )
    return Checked(verdict, documents if verdict.valid else [])


@dataclass(slots=True)
class ImportResult:
    """What an import did: the verdict, and per order the version now current and whether it is new."""

    verdict: Verdict
    orders: list[dict[str, object]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """Return the result as the JSON the CLI and the API print."""
        return self.verdict.as_dict() | {"imported": self.orders}


def import_order_file(
    *, scope: Scope, text: str, at: datetime, actor: User | AnonymousUser | None = None
) -> ImportResult:
    """Return the result of importing an order file: all its orders, or (if invalid) nothing.

    Re-importing an order with changes records a new version (ORD-9); importing it unchanged
    records nothing.
    """
    with transaction.atomic():
        checked = validate_order_file(scope=scope, text=text)
        result = ImportResult(checked.verdict)
        if not checked.verdict.valid:
            return result
        for doc in checked.documents:
            version, created = _store(doc, actor)
            if created:  # credits, hour blocks and the allocation it grants, in this transaction
                version_bought.send(sender=OrderVersion, version=version, at=at, actor=actor)
            result.orders.append(
                {
                    "order": doc.order,
                    "agreement": doc.agreement,
                    "version": version.version,
                    "created": created,
                }
            )
        return result


def _store(doc: OrderDocument, actor: User | AnonymousUser | None) -> tuple[OrderVersion, bool]:
    organisation = customer_organisation(name=doc.customer)
    agreement, _ = Agreement.objects.get_or_create(
        code=doc.agreement, defaults={"organisation": organisation, "host_country": doc.host}
    )
    order, created = Order.objects.select_for_update().get_or_create(
        number=doc.order,
        defaults={"organisation": organisation, "agreement": agreement, "current_version": 1},
    )
    fingerprint = doc.fingerprint()
    # ORD-8 decisions already taken stay taken in an amendment.
    decided: dict[tuple[str, str], str] = {}
    if not created:
        decided = {
            (country, service): status
            for country, service, status in OrderLine.objects.filter(
                site__order_version__order=order,
                site__order_version__version=order.current_version,
                status__in=[LineStatus.ACCEPTED, LineStatus.REFUSED],
            ).values_list("site__country", "service_id", "status")
        }
    if not created:
        current = order.versions.get(version=order.current_version)
        if current.fingerprint == fingerprint:
            return current, False
        order.current_version += 1
        order.save(update_fields=["current_version"])
    version = OrderVersion.objects.create(
        organisation=organisation,
        order=order,
        version=order.current_version,
        customer_name=doc.customer,
        host_country=doc.host,
        start=doc.start,
        end=doc.end,
        signed=doc.signed,
        currency=doc.currency,
        usd_rate=doc.usd_rate,
        assessed_azure_spend=doc.assessed_azure_spend,
        plus_floor_price_elected=doc.plus_floor_price_elected,
        success_management=doc.success_management,
        fingerprint=fingerprint,
        source_yaml=yaml.safe_dump(dict(doc.source), sort_keys=False, allow_unicode=True),
        imported_by=actor if isinstance(actor, User) else None,
    )
    catalog = current_catalog()
    sites: dict[str, Site] = {}
    for position, spec in enumerate(doc.sites):
        site = Site.objects.create(
            organisation=organisation,
            order_version=version,
            country=spec.country,
            timezone=spec.timezone,
            role=SiteRole.HOST if spec.country == doc.host else SiteRole.DOWNSTREAM,
            position=position,
        )
        sites[spec.country] = site
        OrderLine.objects.bulk_create(
            OrderLine(
                organisation=organisation,
                site=site,
                service_id=line.service,
                quantity=line.quantity,
                price=line.price,
                list_price=line.list_price,
                timezone=line.timezone or "",
                on_site=line.on_site,
                status=decided.get(
                    (spec.country, line.service),
                    LineStatus.PENDING_ACCEPTANCE
                    if catalog.service(line.service).needs_vendor_acceptance
                    else LineStatus.ACTIVE,
                ),
                position=i,
            )
            for i, line in enumerate(spec.lines)
        )
    if doc.flexible_allocation is not None:
        allocation = FlexibleAllocation.objects.create(
            organisation=organisation, order_version=version, amount=doc.flexible_allocation.amount
        )
        AllocationAssignment.objects.bulk_create(
            AllocationAssignment(
                organisation=organisation,
                allocation=allocation,
                service_id=a.service,
                site=sites[a.site],
                amount=a.amount,
            )
            for a in doc.flexible_allocation.assignments
        )
    return version, True


@transaction.atomic
def terminate_agreement(*, scope: Scope, code: str, on: date, actor: User | None = None) -> Agreement:
    """Return the agreement whose foundational package ended on ``on``: its add-ons end the same day (ORD-2)."""
    require(scope, can_manage_orders, DECISION_REFUSAL, field=None)
    from unisupport.domain.errors import InvalidInput

    agreement = Agreement.objects.select_for_update().filter(code=code).first()
    if agreement is None:
        raise InvalidInput("agreement", Message(gettext_noop("no agreement {code!r}"), code=code))
    if agreement.terminated_on is not None:
        raise InvalidInput(
            "agreement",
            Message(
                gettext_noop("{code} was already terminated on {day}"), code=code, day=agreement.terminated_on
            ),
        )
    agreement.terminated_on = on
    agreement.save(update_fields=["terminated_on"])
    return agreement


@transaction.atomic
def decide_line(
    *,
    scope: Scope,
    order_number: str,
    site_country: str,
    service: str,
    accept: bool,
    at: datetime,
    actor: User | None = None,
) -> OrderLine:
    """Return the order line after the vendor's ORD-8 decision: accepted (it serves) or refused (it never does).

    ``site_country`` may be empty when only one site of the order holds a line of ``service``.
    """
    require(scope, can_manage_orders, DECISION_REFUSAL, field=None)
    from unisupport.domain.errors import InvalidInput

    try:
        order = Order.objects.get(number=order_number)
    except Order.DoesNotExist:
        raise InvalidInput("order", Message(gettext_noop("no order {order!r}"), order=order_number)) from None
    lines = OrderLine.objects.select_for_update().filter(
        site__order_version__order=order,
        site__order_version__version=order.current_version,
        service_id=service,
    )
    if not site_country:  # the one site holding the line, when only one does
        sites = sorted(lines.values_list("site__country", flat=True))
        if len(sites) > 1:
            raise InvalidInput(
                "site",
                Message(
                    gettext_noop("{service} is on several sites of {order} ({sites}): name the site"),
                    service=service,
                    order=order_number,
                    sites=", ".join(sites),
                ),
            )
        if not sites:
            raise InvalidInput(
                "service",
                Message(
                    gettext_noop("order {order} has no {service} line"), order=order_number, service=service
                ),
            )
        site_country = sites[0]
    line = lines.filter(site__country=site_country.upper()).first()
    if line is None:
        raise InvalidInput(
            "service",
            Message(
                gettext_noop("order {order} has no {service} line at {site}"),
                order=order_number,
                service=service,
                site=site_country.upper(),
            ),
        )
    if line.status not in (LineStatus.PENDING_ACCEPTANCE, LineStatus.ACCEPTED, LineStatus.REFUSED):
        raise InvalidInput(
            "service",
            Message(
                gettext_noop("{service} is not subject to resource availability (ORD-8): nothing to decide"),
                service=service,
            ),
        )
    line.status = LineStatus.ACCEPTED if accept else LineStatus.REFUSED
    line.save(update_fields=["status"])
    if accept:
        # What the line bought (hours of the RSM add-on …) is granted as soon as it is accepted.
        version_bought.send(sender=OrderVersion, version=line.site.order_version, at=at, actor=actor)
    return line
