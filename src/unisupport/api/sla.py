"""Response targets and business calendars (RULES.md §8, SEV-2..SEV-7): anyone signed in may compute.

The same computations as `unisupport sla due` and `unisupport calendar add|between|show|next-opening`,
with the same JSON. Instants are ISO 8601 with their offset or Z (a naive one is refused, 422 naming the
field); answers are in UTC with a Z. The order form is scoped to the caller's organisation.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from unisupport import clock
from unisupport.accounts.scope import scope_of
from unisupport.api.errors import answered, no_order
from unisupport.api.schemas import ErrorOut
from unisupport.domain.errors import InvalidInput
from unisupport.domain.messages import Message, gettext_noop

router = Router(tags=["sla"])

INSTANT_HELP = "ISO 8601 with its UTC offset or Z, e.g. 2026-12-24T16:00:00+01:00"


class DueIn(Schema):
    """An incident: when it was opened, where, what. Give `country` (calculator) or `order` and `site`."""

    opened: str = Field(..., description=INSTANT_HELP, examples=["2026-12-24T16:00:00+01:00"])
    severity: str = Field(..., description="1, A, B or C", examples=["C"])
    product: str = Field(
        ..., description="As the product catalogue names it", examples=["Azure Virtual Machines"]
    )
    option_24x7: bool = Field(False, description="Sev B submitted with the 24x7 option (SEV-7)")
    country: str | None = Field(
        None, description="Calculator form: the support location's country", examples=["FR"]
    )
    timezone: str | None = Field(None, description="Calculator form: its IANA zone (default: the country's)")
    subdivision: str | None = Field(
        None, description="Calculator form: its subdivision, for regional holidays"
    )
    offerings: list[str] = Field(
        [],
        description="Calculator form: the offerings covering the incident (foundational is implied; "
        "naming mcs-azure-events(-plus) means an event's coverage window is open)",
    )
    order: str | None = Field(
        None, description="Order form: the order whose offerings apply", examples=["ESO-2026-001"]
    )
    site: str | None = Field(None, description="Order form: the site's country on the order", examples=["FR"])


class DueOut(Schema):
    due: str = Field(..., description="UTC, ISO 8601, Z", examples=["2026-12-28T10:30:00Z"])
    counts_until: str = Field(
        ...,
        description="The last instant a first response still meets the target (SEV-2, SEV-7): the due "
        "time, or the next opening when the target ends at a closing. UTC, ISO 8601, Z",
    )
    target_minutes: int
    clock: str = Field(..., description="24x7 or business")
    offering: str
    rules: list[str]


class LocationIn(Schema):
    country: str = Field(..., description="ISO 3166-1 alpha-2", examples=["FR"])
    timezone: str | None = Field(None, description="IANA zone (default: the country's)")
    subdivision: str | None = Field(None, description="For regional holidays (e.g. BY, NY)")


class AddIn(LocationIn):
    start: str = Field(..., alias="from", description=INSTANT_HELP)
    minutes: str = Field(..., description="Business minutes to add (fractions allowed)", examples=["240"])


class BetweenIn(LocationIn):
    start: str = Field(..., alias="from", description=INSTANT_HELP)
    end: str = Field(..., alias="to", description=INSTANT_HELP)


class ShowIn(LocationIn):
    year: int | None = Field(None, ge=1970, le=2199, description="Default: this year (UTC)")


class NextOpeningIn(LocationIn):
    at: str | None = Field(
        None, description=INSTANT_HELP + " (default: now)", examples=["2026-12-24T08:00:00+01:00"]
    )


class NextOpeningOut(Schema):
    country: str
    subdivision: str | None
    timezone: str
    at: str = Field(..., description="The instant asked about: UTC, ISO 8601, Z")
    open_now: bool = Field(..., description="True when `at` is within business hours")
    next_opening: str = Field(
        ..., description="The first business instant from `at` on (`at` itself when open): UTC, Z"
    )
    closes: str = Field(..., description="When that business period ends: UTC, ISO 8601, Z")


class AddOut(Schema):
    due: str = Field(..., description="UTC, ISO 8601, Z")


class BetweenOut(Schema):
    minutes: float = Field(
        ..., description="Business minutes, fractional (negative if `to` is before `from`)"
    )


class DayOffOut(Schema):
    date: str
    name: str
    kind: str = Field(..., description="holiday (public) or closure (the back office's)")


class WeekdayHoursOut(Schema):
    weekday: int = Field(..., description="0 = Monday … 6 = Sunday")
    opening: str = Field(..., description="Local time, HH:MM")
    closing: str = Field(..., description="Local time, HH:MM")


class CalendarOut(Schema):
    country: str
    subdivision: str | None
    timezone: str
    opening: str
    closing: str
    weekdays: list[int] = Field(..., description="0 = Monday … 6 = Sunday")
    hours: list[WeekdayHoursOut] = Field(
        ..., description="The hours of each working weekday (a weekday may have its own, Annexe A note 5)"
    )
    year: int
    days_off: list[DayOffOut]
    extra_working_days: list[str]


ERRORS = {404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _answer(compute: Callable[[], Status]) -> Status:
    # A domain error names its field (422) or its rule (409), as the CLI's exit 2 and 1 do.
    return answered(compute)


def _due(request: HttpRequest, data: DueIn) -> Status:
    from unisupport.calendars.instants import parse_instant
    from unisupport.calendars.sla import due_in_calculator, due_on_order
    from unisupport.orders.models import Order
    from unisupport.orders.selectors import order_for

    opened = parse_instant(data.opened, field="opened")
    if data.order is None:
        if data.site is not None:
            raise InvalidInput(
                "site", Message(gettext_noop("only with order (the calculator form takes country)"))
            )
        if not data.country:
            raise InvalidInput(
                "country", Message(gettext_noop("give the support location's country, or order and site"))
            )
        answer = due_in_calculator(
            opened=opened,
            country=data.country,
            timezone=data.timezone,
            subdivision=data.subdivision,
            severity=data.severity,
            product=data.product,
            offerings=data.offerings,
            option_24x7=data.option_24x7,
        )
        return Status(200, answer.as_dict())
    if data.country or data.timezone or data.subdivision or data.offerings:
        raise InvalidInput(
            "order",
            Message(gettext_noop("the order form takes the country, time zone and offerings from the order")),
        )
    if not data.site:
        raise InvalidInput("site", Message(gettext_noop("the order form needs the site's country")))
    try:
        order = order_for(scope_of(request.user), number=data.order)
    except Order.DoesNotExist:
        raise no_order(data.order, field="order") from None
    answer = due_on_order(
        order=order,
        site=data.site,
        opened=opened,
        severity=data.severity,
        product=data.product,
        option_24x7=data.option_24x7,
    )
    return Status(200, answer.as_dict())


@router.get("/sla/due", response={200: DueOut, **ERRORS})
def sla_due(request: HttpRequest, data: Query[DueIn]) -> Status:
    """Return when the first response to an incident is due, the target and the rules that decided it.

    As `unisupport sla due --json`. Repeat `offerings=` for several offerings.
    """
    return _answer(lambda: _due(request, data))


@router.post("/sla/due", response={200: DueOut, **ERRORS})
def sla_due_post(request: HttpRequest, data: DueIn) -> Status:
    """Return the same as `GET /api/sla/due`, for a JSON body."""
    return _answer(lambda: _due(request, data))


@router.get("/calendar/add", response={200: AddOut, 422: ErrorOut})
def calendar_add(request: HttpRequest, data: Query[AddIn]) -> Status:
    """Return the instant at which `minutes` business minutes have elapsed after `from` (`unisupport calendar add`)."""
    from unisupport.calendars.instants import minutes_duration, parse_instant, utc_iso
    from unisupport.calendars.selectors import calendar_for_site

    def compute() -> Status:
        start = parse_instant(data.start, field="from")
        duration = minutes_duration(data.minutes)
        calendar = calendar_for_site(
            country=data.country, timezone=data.timezone, subdivision=data.subdivision
        )
        return Status(200, {"due": utc_iso(calendar.add_business_time(start, duration))})

    return _answer(compute)


@router.get("/calendar/between", response={200: BetweenOut, 422: ErrorOut})
def calendar_between(request: HttpRequest, data: Query[BetweenIn]) -> Status:
    """Return the business minutes from `from` to `to` (`unisupport calendar between`)."""
    from unisupport.calendars.instants import duration_minutes, parse_instant
    from unisupport.calendars.selectors import calendar_for_site

    def compute() -> Status:
        start, end = parse_instant(data.start, field="from"), parse_instant(data.end, field="to")
        calendar = calendar_for_site(
            country=data.country, timezone=data.timezone, subdivision=data.subdivision
        )
        return Status(200, {"minutes": duration_minutes(calendar.business_time_between(start, end))})

    return _answer(compute)


@router.get("/calendar/show", response={200: CalendarOut, 422: ErrorOut})
def calendar_show(request: HttpRequest, data: Query[ShowIn]) -> Status:
    """Return a support location's business hours, and its holidays and closures in a year (`unisupport calendar show`)."""
    from unisupport.calendars.selectors import calendar_for_site, calendar_json

    def compute() -> Status:
        calendar = calendar_for_site(
            country=data.country, timezone=data.timezone, subdivision=data.subdivision
        )
        year = data.year or clock.today().year
        return Status(200, calendar_json(calendar=calendar, year=year))

    return _answer(compute)


@router.get("/calendar/next-opening", response={200: NextOpeningOut, 422: ErrorOut})
def calendar_next_opening(request: HttpRequest, data: Query[NextOpeningIn]) -> Status:
    """Return when a support location is next open from `at` (now by default), and until when (`unisupport calendar next-opening`)."""
    from unisupport.calendars.instants import parse_instant
    from unisupport.calendars.selectors import calendar_for_site, next_opening

    def compute() -> Status:
        at = parse_instant(data.at, field="at") if data.at is not None else clock.now()
        calendar = calendar_for_site(
            country=data.country, timezone=data.timezone, subdivision=data.subdivision
        )
        return Status(200, next_opening(calendar=calendar, at=at).as_dict())

    return _answer(compute)
