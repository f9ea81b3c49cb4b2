"""Initial response targets (RULES.md §8, SEV-2..SEV-7, EVT-1/2/5, MCS-6/8) and due times.

The matrix is data (``domain/data/response_targets.yaml``); this module reads it and applies
SEV-2: the applicable target is the fastest among the offerings that cover the incident, with
the foundational target wherever an offering gives no time. The decision names the offering
and the rule IDs that decided it: always SEV-2 and SEV-7 (the clock), plus each exclusion or
scope rule (SEV-3..SEV-6, EVT-5, MCS-6, MCS-8) and each closed event window (EVT-1/EVT-2) that
made the answer slower than it would otherwise have been, plus EVT-1/EVT-2 when an event
offering gave the answer. At equal times an enhanced offering is named rather than foundational
(§2.5: Rapid Response's times « prévalent sur » foundational's), then the table's order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache, cached_property
from importlib import resources

import yaml

from unisupport.domain.calendar import TWENTY_FOUR_SEVEN, Clock
from unisupport.domain.catalog import Catalog, Product, default_catalog
from unisupport.domain.errors import InvalidInput, UnknownService
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.service_codes import FOUNDATIONAL

__all__ = [
    "FOUNDATIONAL",
    "Cell",
    "ClockKind",
    "ExclusionList",
    "OfferingTargets",
    "ResponseMatrix",
    "ResponseTarget",
    "Severity",
    "due_at",
    "parse_response_matrix",
    "response_matrix",
    "response_target",
    "scope_refusal",
]


class Severity(StrEnum):
    """Incident severities of Annexe A (SEV-1)."""

    SEV_1 = "1"
    A = "A"
    B = "B"
    C = "C"

    @classmethod
    def parse(cls, value: object, *, field: str = "severity") -> Severity:
        """Return the severity named by ``value`` ("1", "A", "b", …) or raise InvalidInput."""
        if isinstance(value, Severity):
            return value
        text = str(value).strip().upper()
        try:
            return cls(text)
        except ValueError:
            raise InvalidInput(
                field,
                Message(gettext_noop("unknown severity {value!r} (expected 1, A, B or C)"), value=value),
            ) from None


class ClockKind(StrEnum):
    """The clock a target runs on (SEV-7)."""

    TWENTY_FOUR_SEVEN = "24x7"
    BUSINESS = "business"


@dataclass(frozen=True, slots=True)
class ResponseTarget:
    """The initial-response target that applies to an incident, and why."""

    minutes: int
    clock: ClockKind
    offering: str
    rules: tuple[str, ...]

    @property
    def duration(self) -> timedelta:
        """Return the target as a timedelta (of business time when the clock is business)."""
        return timedelta(minutes=self.minutes)

    def as_dict(self) -> dict[str, object]:
        """Return the target as the JSON object the CLI and API print (without the due time)."""
        return {
            "target_minutes": self.minutes,
            "clock": self.clock.value,
            "offering": self.offering,
            "rules": list(self.rules),
        }


# -- the matrix as data -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExclusionList:
    """A product exclusion list of the source (SEV-3..SEV-6, EVT-5)."""

    rule: str
    description: str
    names: frozenset[str]  # casefolded product names
    flags: frozenset[str] = frozenset()
    families: frozenset[str] = frozenset()

    def matches(self, product: Product) -> bool:
        """Return True if ``product`` is on this list (by name or alias, flag or family)."""
        return (
            any(n.casefold() in self.names for n in (product.name, *product.aliases))
            or not self.flags.isdisjoint(product.flags)
            or product.family.value in self.families
        )


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of §8: a time (one for all, or Azure/other), its clock and the 24x7 option."""

    clock: ClockKind
    minutes: int | None = None  # same time for every product
    azure: int | None = None  # time for Azure components …
    other: int | None = None  # … and for every other product
    azure_exclusions: str | None = None  # the list whose products take ``other``
    option_24x7: ClockKind | None = None  # the clock when 24x7 was chosen at submission


@dataclass(frozen=True, slots=True)
class OfferingTargets:
    """One row of §8: an offering's cells, the products it covers, its coverage window."""

    code: str
    name: str
    cells: Mapping[Severity, Cell | None]  # None: "foundational" (no time of its own)
    requires_flags_any: frozenset[str] = frozenset()
    excluded_by: tuple[str, ...] = ()
    scope_rule: str | None = None
    coverage_rule: str | None = None


@dataclass(frozen=True)
class ResponseMatrix:
    """The whole of §8: rows by offering code (table order) and the exclusion lists."""

    offerings: Mapping[str, OfferingTargets]
    exclusions: Mapping[str, ExclusionList]

    def offering(self, code: str) -> OfferingTargets:
        """Return the row of ``code`` (KeyError if it has none)."""
        return self.offerings[code]

    @cached_property
    def agreement_wide(self) -> frozenset[str]:
        """Return the offerings that serve every site of the agreement: the table's rows but foundational.

        UER is delivered remotely to host and downstream sites (MC-10); the MCS offerings and Rapid
        Response cover subscriptions and tenants, not a site. Wherever on the agreement they were
        bought, they serve an incident at any of its sites.
        """
        return frozenset(code for code in self.offerings if code != FOUNDATIONAL)

    @cached_property
    def event_offerings(self) -> frozenset[str]:
        """Return the offerings that cover an incident only while an event's window is open (EVT-1, EVT-2)."""
        return frozenset(code for code, row in self.offerings.items() if row.coverage_rule)


def parse_response_matrix(text: str) -> ResponseMatrix:
    """Return the matrix described by the YAML ``text`` (see response_targets.yaml)."""
    raw = yaml.safe_load(text)
    if [str(s) for s in raw["severities"]] != [s.value for s in Severity]:
        raise ValueError(f"response targets: severities must be {[s.value for s in Severity]}")
    exclusions = {
        rule: ExclusionList(
            rule=rule,
            description=spec.get("description", ""),
            names=frozenset(n.casefold() for n in spec.get("products") or ()),
            flags=frozenset(spec.get("flags") or ()),
            families=frozenset(spec.get("families") or ()),
        )
        for rule, spec in raw["exclusions"].items()
    }
    offerings: dict[str, OfferingTargets] = {}
    for row in raw["offerings"]:
        cells = {Severity(str(k)): _cell(row["code"], v, exclusions) for k, v in row["cells"].items()}
        if set(cells) != set(Severity):
            raise ValueError(f"response targets: {row['code']} must give every severity")
        scope = row.get("scope") or {}
        for rule in scope.get("excluded_by") or ():
            if rule not in exclusions:
                raise ValueError(f"response targets: {row['code']} names unknown exclusion list {rule}")
        offerings[row["code"]] = OfferingTargets(
            code=row["code"],
            name=row.get("name", row["code"]),
            cells=cells,
            requires_flags_any=frozenset(scope.get("requires_flags_any") or ()),
            excluded_by=tuple(scope.get("excluded_by") or ()),
            scope_rule=scope.get("rule"),
            coverage_rule=row.get("coverage_rule"),
        )
    if FOUNDATIONAL not in offerings or None in offerings[FOUNDATIONAL].cells.values():
        raise ValueError("response targets: foundational must give a time for every severity")
    _check_comparable(offerings)
    return ResponseMatrix(offerings=offerings, exclusions=exclusions)


def _cell(code: str, value: object, exclusions: Mapping[str, ExclusionList]) -> Cell | None:
    if value == FOUNDATIONAL:
        return None
    if not isinstance(value, Mapping):
        raise ValueError(f"response targets: {code}: a cell is 'foundational' or a mapping, got {value!r}")
    option = value.get("option_24x7")
    cell = Cell(
        clock=ClockKind(value["clock"]),
        minutes=value.get("minutes"),
        azure=value.get("azure"),
        other=value.get("other"),
        azure_exclusions=value.get("azure_exclusions"),
        option_24x7=ClockKind(option) if option else None,
    )
    if (cell.minutes is None) == (cell.azure is None or cell.other is None):
        raise ValueError(f"response targets: {code}: give either minutes or azure and other")
    if cell.azure_exclusions is not None and cell.azure_exclusions not in exclusions:
        raise ValueError(f"response targets: {code}: unknown exclusion list {cell.azure_exclusions}")
    return cell


def _check_comparable(offerings: Mapping[str, OfferingTargets]) -> None:
    # "Fastest" compares minutes, and for equal minutes prefers 24x7 (never later than business
    # time). That is only sound when no row offers a 24x7 time LONGER than a business time of
    # the same severity, which would need the calendar to compare. The source never does; keep
    # it that way or teach SEV-2 about calendars.
    for severity in Severity:
        times = [
            (m, c.clock)
            for row in offerings.values()
            if (c := row.cells[severity]) is not None
            for m in (c.minutes, c.azure, c.other)
            if m is not None
        ]
        business = [m for m, clock in times if clock is ClockKind.BUSINESS]
        if business and any(m > min(business) for m, clock in times if clock is ClockKind.TWENTY_FOUR_SEVEN):
            raise ValueError(f"response targets: Sev {severity}: a 24x7 time exceeds a business time")


@cache
def response_matrix() -> ResponseMatrix:
    """Return the matrix shipped with the package (read once per process)."""
    text = resources.files("unisupport.domain").joinpath("data", "response_targets.yaml").read_text("utf-8")
    return parse_response_matrix(text)


# -- the engine -----------------------------------------------------------------------------

_CLOCK_RANK = {ClockKind.TWENTY_FOUR_SEVEN: 0, ClockKind.BUSINESS: 1}


def response_target(
    *,
    offerings: Iterable[str],
    product: Product | str,
    severity: Severity | str,
    option_24x7: bool = False,
    event_window_open: bool = False,
    matrix: ResponseMatrix | None = None,
    catalog: Catalog | None = None,
) -> ResponseTarget:
    """Return the initial-response target of an incident (SEV-2), naming the deciding rules.

    ``offerings`` are the service codes active for the incident; foundational is always
    implied. Codes of the catalog without a row in §8 (webcasts, …) are ignored; unknown codes
    raise UnknownService. ``event_window_open`` says whether an MCS for Azure Events coverage
    window is open at the incident's instant (EVT-1/EVT-2).
    """
    matrix = matrix or response_matrix()
    sev = Severity.parse(severity)
    if option_24x7 and sev is not Severity.B:
        raise InvalidInput(
            "option_24x7",
            Message(
                gettext_noop("SEV-7: the 24x7 option exists for Sev B only, not Sev {severity}"), severity=sev
            ),
        )
    if isinstance(product, str):
        product = (catalog or default_catalog()).product(product)
    elif not isinstance(product, Product):
        raise InvalidInput(
            "product", Message(gettext_noop("a product is expected, got {value!r}"), value=product)
        )
    rows = _rows(offerings, matrix, catalog)

    # (minutes, clock, table position, offering code): the fastest wins (SEV-2). At equal times an
    # enhanced offering is named rather than foundational: §2.5 says of Rapid Response that its
    # times « prévalent sur les délais de réponse … des Services fondamentaux », and the
    # offering named is the team that answers. Among enhanced offerings, the table's order.
    candidates: list[tuple[int, ClockKind, int, str]] = []
    # (rule, minutes, clock): what a rule took away, kept when the answer ends up slower.
    lost: list[tuple[str, int, ClockKind]] = []
    for position, row in enumerate(rows):
        cell = row.cells[sev]
        if cell is None:
            continue  # "foundational": the foundational candidate already stands for it
        minutes, clock, unexcluded = _cell_time(cell, product, option_24x7, matrix)
        refusal = _refusal(row, product, event_window_open, matrix)
        if refusal is not None:
            lost.append((refusal, minutes, clock))
            continue
        if unexcluded is not None:  # SEV-3/SEV-4: the Azure time this product did not get
            lost.append((cell.azure_exclusions or "", unexcluded, clock))
        candidates.append((minutes, clock, position, row.code))

    minutes, clock, _, code = min(
        candidates, key=lambda c: (c[0], _CLOCK_RANK[c[1]], c[3] == FOUNDATIONAL, c[2])
    )
    rules = {"SEV-2", "SEV-7"}
    rules.update(rule for rule, m, c in lost if (m, _CLOCK_RANK[c]) < (minutes, _CLOCK_RANK[clock]))
    chosen = matrix.offering(code)
    if chosen.coverage_rule:
        rules.add(chosen.coverage_rule)  # the event window made this offering apply
    return ResponseTarget(
        minutes=minutes, clock=clock, offering=code, rules=tuple(sorted(rules, key=_rule_order))
    )


def _rows(offerings: Iterable[str], matrix: ResponseMatrix, catalog: Catalog | None) -> list[OfferingTargets]:
    if isinstance(offerings, str):
        offerings = [offerings]  # one code, not its letters
    wanted = {FOUNDATIONAL}
    for code in offerings:
        clean = str(code).strip().lower()
        if clean in matrix.offerings:
            wanted.add(clean)
        elif clean not in (catalog or default_catalog()).services:
            raise UnknownService(str(code), "offering")
    # Table order, so that ties and rule lists do not depend on the caller's order.
    return [row for code, row in matrix.offerings.items() if code in wanted]


def _cell_time(
    cell: Cell, product: Product, option_24x7: bool, matrix: ResponseMatrix
) -> tuple[int, ClockKind, int | None]:
    # Return (minutes, clock, the Azure time an exclusion list took away or None).
    clock = cell.option_24x7 if option_24x7 and cell.option_24x7 else cell.clock
    if cell.minutes is not None:
        return cell.minutes, clock, None
    assert cell.azure is not None
    assert cell.other is not None
    if not product.is_azure:
        return cell.other, clock, None
    if cell.azure_exclusions and matrix.exclusions[cell.azure_exclusions].matches(product):
        return cell.other, clock, cell.azure  # SEV-3/SEV-4 Reading: excluded ones take "other"
    return cell.azure, clock, None


def _refusal(
    row: OfferingTargets, product: Product, event_window_open: bool, matrix: ResponseMatrix
) -> str | None:
    # Return the rule that keeps ``row`` from covering the incident, or None if it covers it.
    if row.coverage_rule and not event_window_open:
        return row.coverage_rule  # "(during coverage only)"
    # The named exclusions first: they say more than the general scope (Windows Server is out of
    # MCS for Azure Platform as an on-premises technology, SEV-6, before being non-Azure, MCS-6).
    for rule in row.excluded_by:
        if matrix.exclusions[rule].matches(product):
            return rule
    if row.requires_flags_any and row.requires_flags_any.isdisjoint(product.flags):
        return row.scope_rule or "SEV-2"
    return None


def scope_refusal(
    offering: str, product: Product, *, event_window_open: bool = True, matrix: ResponseMatrix | None = None
) -> str | None:
    """Return the rule that keeps ``offering`` from covering ``product`` (None when it covers it).

    Offerings without a row in §8 cover every product as far as this table is concerned.
    """
    matrix = matrix or response_matrix()
    row = matrix.offerings.get(offering)
    if row is None:
        return None
    return _refusal(row, product, event_window_open, matrix)


def _rule_order(rule: str) -> tuple[int, str, int]:
    # SEV rules first, then the others, numerically: SEV-2, SEV-3, …, SEV-7, EVT-1, MCS-6.
    match = re.fullmatch(r"([A-Z]+)-(\d+)", rule)
    if not match:
        return (2, rule, 0)
    return (0 if match[1] == "SEV" else 1, match[1], int(match[2]))


def clock_for(kind: ClockKind | str, site_calendar: Callable[[], Clock]) -> Clock:
    """Return the clock a target of ``kind`` runs on: around the clock, or the site's business calendar (SEV-7).

    ``site_calendar`` is called only for business hours, so that a 24x7 target never reads the
    site's calendar (its closures live in the database).
    """
    return TWENTY_FOUR_SEVEN if ClockKind(kind) is ClockKind.TWENTY_FOUR_SEVEN else site_calendar()


def due_at(opened: datetime, target: ResponseTarget, calendar: Clock) -> datetime:
    """Return when the first response is due: ``target`` after ``opened`` on its clock (SEV-7)."""
    return clock_for(target.clock, lambda: calendar).add_business_time(opened, target.duration)


# The smallest step of the calendars (they count in microseconds).
_TICK = timedelta(microseconds=1)


def counts_until(due: datetime, clock: Clock) -> datetime:
    """Return the last instant at which a first response due at ``due`` still meets its target (SEV-2, SEV-7).

    What is judged is the business time elapsed since the clock started, not the wall clock: when
    the target ends at a closing (a Sev B opened Friday 15:30 in Paris is due 17:30), no business
    time passes until the next opening (Monday 09:00), so a response up to then is within the
    target. On a 24x7 clock, or when ``due`` falls inside business hours, it is ``due`` itself.
    A first response is met when it comes no later than this instant; the breach is recorded at it.
    """
    return clock.add_business_time(due, _TICK) - _TICK
