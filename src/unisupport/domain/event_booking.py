"""Booking an event under MCS for Azure Events (Plus): the verdict and every rule it applies
(EVT-1, EVT-2, EVT-4, EVT-5, EVT-6).

Pure: the caller gives the offering, the covered days, the products in scope, the list EVT-5
excludes (the response matrix's data) and the site's date today. A booking is refused when a rule
refuses it; one booked with less than six weeks' notice is accepted pending the vendor's
approval (EVT-4).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from unisupport.domain.catalog import Product
from unisupport.domain.errors import InvalidInput, RuleViolation
from unisupport.domain.events import LIMITS, check_event_days
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.sla import ExclusionList

NOTICE_DAYS = 42  # EVT-4: six calendar weeks before the first covered day
MOST_DAYS = 366  # a range longer than a year is a typing mistake, not an event
PUBLIC_CLOUD_ONLY = frozenset({"us-government", "azure-china", "sovereign"})  # EVT-5


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule's refusal of a booking."""

    rule: str
    message: str  # a Message: the portal shows it in its reader's language

    def as_dict(self) -> dict[str, str]:
        """Return the finding as the CLI and the API print it."""
        return {"rule": self.rule, "message": str(self.message)}


@dataclass(frozen=True, slots=True)
class BookingVerdict:
    """Accepted or not, pending the vendor's approval or not, the days, and every rule applied."""

    days: tuple[date, ...]
    rules: tuple[str, ...]
    errors: tuple[Finding, ...] = ()
    needs_vendor_approval: bool = False
    notice_days: int | None = None

    @property
    def accepted(self) -> bool:
        """Return True when no rule refused the booking (it may still wait for the vendor, EVT-4)."""
        return not self.errors

    def as_dict(self) -> dict[str, object]:
        """Return the verdict as `event book --json` prints it."""
        return {
            "accepted": self.accepted,
            "needs_vendor_approval": self.needs_vendor_approval,
            "days": len(self.days),
            "first_day": self.days[0].isoformat() if self.days else None,
            "last_day": self.days[-1].isoformat() if self.days else None,
            "notice_days": self.notice_days,
            "rules": list(self.rules),
            "errors": [e.as_dict() for e in self.errors],
        }


def parse_days(text: object, *, field: str = "days") -> list[date]:
    """Return the dates of ``2027-11-20..2027-11-30,2027-12-03`` (ranges inclusive), or raise InvalidInput."""
    found: list[date] = []
    for part in (p.strip() for p in str(text or "").split(",")):
        if not part:
            continue
        first_text, _, last_text = part.partition("..")
        try:
            first = date.fromisoformat(first_text.strip())
            last = date.fromisoformat(last_text.strip()) if last_text else first
        except ValueError:
            raise InvalidInput(
                field,
                Message(
                    gettext_noop("expected dates or FROM..TO ranges (YYYY-MM-DD), got {part!r}"), part=part
                ),
            ) from None
        if last < first or (last - first).days > MOST_DAYS:
            raise InvalidInput(
                field, Message(gettext_noop("{part}: the range runs backwards or over a year"), part=part)
            )
        found += [first + timedelta(days=n) for n in range((last - first).days + 1)]
    if not found:
        raise InvalidInput(field, Message(gettext_noop("at least one covered day is required")))
    return sorted(set(found))


def judge_booking(
    *,
    service: str,
    days: Sequence[date],
    products: Sequence[Product],
    excluded: ExclusionList,
    today: date,
    bought: int | None = None,
    booked: int = 0,
    term: tuple[date, date] | None = None,
) -> BookingVerdict:
    """Return the verdict on booking ``days`` of ``service`` for ``products``, naming every rule applied.

    ``bought``: how many events the order's line pays for, of which ``booked`` are booked already
    (a further one is refused with the offering's rule); ``term``: the order's first and last days,
    outside which no day is covered (ORD-1)."""
    errors: list[Finding] = []
    unique = sorted(set(days))
    try:
        check_event_days(service=service, days=unique)
    except RuleViolation as refused:
        errors.append(Finding(refused.rule or "EVT-1", refused.message))
    day_rule = LIMITS[service].rule if service in LIMITS else "EVT-1"
    if bought is not None and booked >= bought:
        errors.append(
            Finding(
                day_rule,
                Message(
                    gettext_noop("all {count} events the order bought are booked: buy more first"),
                    count=bought,
                ),
            )
        )
    outside = [d for d in unique if term is not None and not term[0] <= d <= term[1]]
    if term is not None and outside:
        errors.append(
            Finding(
                "ORD-1",
                Message(
                    gettext_noop("{day} is outside the order's term ({start} to {end})"),
                    day=outside[0],
                    start=term[0],
                    end=term[1],
                ),
            )
        )
    notice = (unique[0] - today).days if unique else None
    pending = False
    if notice is not None and notice < 1:
        errors.append(
            Finding(
                "EVT-4",
                Message(gettext_noop("the first covered day ({day}) has begun or passed"), day=unique[0]),
            )
        )
    elif notice is not None and notice < NOTICE_DAYS:
        pending = True  # EVT-4: shorter notice, accepted at the vendor's discretion
    if not products:
        errors.append(
            Finding("EVT-3", Message(gettext_noop("name the Azure services of the event's scenario")))
        )
    for product in products:
        errors += _product_findings(product, excluded)
    return BookingVerdict(
        days=tuple(unique),
        rules=(day_rule, "EVT-3", "EVT-4", "EVT-5", "EVT-6") + (("ORD-1",) if term is not None else ()),
        errors=tuple(errors),
        needs_vendor_approval=pending and not errors,
        notice_days=notice,
    )


def _product_findings(product: Product, excluded: ExclusionList) -> list[Finding]:
    if not PUBLIC_CLOUD_ONLY.isdisjoint(product.flags):
        return [
            Finding(
                "EVT-5",
                Message(
                    gettext_noop(
                        "{product} is not Azure public cloud: government and sovereign clouds are not covered"
                    ),
                    product=product.name,
                ),
            )
        ]
    if excluded.matches(product):
        return [
            Finding(
                "EVT-5",
                Message(
                    gettext_noop("{product} is a technology MCS for Azure Events excludes"),
                    product=product.name,
                ),
            )
        ]
    if "azure" not in product.flags:
        return [
            Finding("EVT-5", Message(gettext_noop("{product} is not an Azure service"), product=product.name))
        ]
    return []
