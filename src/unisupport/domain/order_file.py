"""The order file: YAML, one document per order (Ordre de Services), read into typed documents.

Reading checks only the shape of the input (fields present, types, dates, countries, signs);
the rules of the service description are checked afterwards by ``order_rules``. Every problem
names the field by its path in the file, e.g. ``ESO-2026-001.sites[1].lines[0].quantity``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

import yaml

from unisupport.domain import countries
from unisupport.domain.errors import InvalidInput
from unisupport.domain.findings import Verdict
from unisupport.domain.messages import quoted
from unisupport.domain.money import to_decimal
from unisupport.domain.yaml_input import LimitedLoader

ORDER_FIELDS = {
    "agreement", "order", "customer", "host", "start", "end", "signed", "currency", "usd_rate",
    "assessed_azure_spend", "plus_floor_price_elected", "sites", "flexible_allocation", "success_management",
}  # fmt: skip
SITE_FIELDS = {"country", "timezone", "lines"}
LINE_FIELDS = {"service", "quantity", "price", "list_price", "timezone", "on_site"}
ALLOCATION_FIELDS = {"amount", "assignments"}
ASSIGNMENT_FIELDS = {"service", "site", "amount"}


@dataclass(frozen=True, slots=True)
class LineSpec:
    """One order line: a service bought (or included) at a site."""

    service: str
    quantity: Decimal
    price: Decimal | None  # the line's price in the order currency, if stated
    list_price: Decimal | None  # the foundational package's list price (FLX-7)
    timezone: str | None  # HRS-5: the time zone agreed in writing for the RSM add-on
    path: str
    on_site: bool = False  # DEL-5: sold as delivered on site (its travel is prepaid)


@dataclass(frozen=True, slots=True)
class SiteSpec:
    """A support location of the order, named by its country."""

    country: str
    timezone: str
    lines: tuple[LineSpec, ...]
    path: str

    def services(self) -> set[str]:
        """Return the service codes bought at this site."""
        return {line.service for line in self.lines}


@dataclass(frozen=True, slots=True)
class AssignmentSpec:
    """A part of the flexible allocation applied to a service at a site (FLX-5)."""

    service: str
    site: str
    amount: Decimal
    path: str


@dataclass(frozen=True, slots=True)
class AllocationSpec:
    """The flexible allocation of the order and its assignments (§2.2)."""

    amount: Decimal
    assignments: tuple[AssignmentSpec, ...]
    path: str


@dataclass(frozen=True, slots=True)
class OrderDocument:
    """One Enterprise Services Order, as read from its file."""

    agreement: str
    order: str
    customer: str
    host: str
    start: dt.date
    end: dt.date
    currency: str
    sites: tuple[SiteSpec, ...]
    usd_rate: Decimal | None = None  # units of the order currency per USD (FLX-1 Reading)
    assessed_azure_spend: Decimal | None = None  # USD, at contract execution (ORD-4)
    plus_floor_price_elected: bool = False  # ORD-4
    flexible_allocation: AllocationSpec | None = None
    # The contract's execution date, when the file gives it (else the order's start): the day the
    # enhanced programmes' onboarding milestones count from (MCS-1, MCS-2, UER-3).
    signed: dt.date | None = None
    # SM-1: success management is included unless the order says otherwise (``success_management: false``).
    success_management: bool = True
    source: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def site(self, country: str) -> SiteSpec | None:
        """Return the site in ``country``, if the order has one."""
        return next((s for s in self.sites if s.country == country), None)

    @property
    def host_site(self) -> SiteSpec | None:
        """Return the site at the agreement's host country, if this order has one (MC-1)."""
        return self.site(self.host)

    def lines(self) -> list[tuple[SiteSpec, LineSpec]]:
        """Return every (site, line) pair of the order."""
        return [(site, line) for site in self.sites for line in site.lines]

    def services(self) -> set[str]:
        """Return every service code bought on the order, at any site."""
        return {line.service for _, line in self.lines()}

    def to_json(self) -> dict[str, Any]:
        """Return the document as plain JSON-able data (dates ISO, decimals as strings)."""
        data: dict[str, Any] = _jsonable(asdict(self) | {"source": None})
        return data

    def fingerprint(self) -> str:
        """Return a hash of the content: equal documents give equal fingerprints (ORD-9)."""
        body = self.to_json()
        for site in body["sites"]:
            for line in site["lines"]:
                line.pop("path")
                if not line.get("on_site"):  # absent before DEL-5's flag: stored fingerprints still match
                    line.pop("on_site", None)
            site.pop("path")
        if body["flexible_allocation"]:
            body["flexible_allocation"].pop("path")
            for a in body["flexible_allocation"]["assignments"]:
                a.pop("path")
        body.pop("source")
        # Fields read after orders were first stored: at their defaults they are left out, so
        # that the stored fingerprints still match (ORD-9).
        if body["signed"] is None:
            body.pop("signed")
        if body["success_management"]:
            body.pop("success_management")
        text = json.dumps(body, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class _Reader:
    """Reads one document, recording every input problem instead of stopping at the first."""

    def __init__(self, verdict: Verdict, prefix: str) -> None:
        self.verdict = verdict
        self.prefix = prefix
        self.ok = True

    def fail(self, path: str, message: str) -> None:
        self.ok = False
        self.verdict.error(None, f"{self.prefix}{path}", f"{self.prefix}{path}: {message}")
        self.verdict.unreadable = True

    def mapping(self, raw: Any, path: str, allowed: set[str]) -> Mapping[str, Any]:
        if not isinstance(raw, Mapping):
            self.fail(path, f"expected a mapping, got {type(raw).__name__}")
            return {}
        for key in raw:
            if key not in allowed:
                self.fail(
                    f"{path}.{key}" if path else str(key),
                    f"unknown field (expected one of: {', '.join(sorted(allowed))})",
                )
        return raw

    def text(self, raw: Mapping[str, Any], key: str, path: str, *, required: bool = True) -> str | None:
        value = raw.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(_join(path, key), "missing field")
            return None
        if not isinstance(value, str | int):
            self.fail(_join(path, key), f"expected text, got {type(value).__name__}")
            return None
        return str(value).strip()

    def number(
        self, raw: Mapping[str, Any], key: str, path: str, *, required: bool = True, positive: bool = False
    ) -> Decimal | None:
        if raw.get(key) is None:
            if required:
                self.fail(_join(path, key), "missing field")
            return None
        try:
            value = to_decimal(raw[key], field=_join(path, key))
        except ValueError:
            self.fail(_join(path, key), f"expected a number, got {quoted(raw[key])}")
            return None
        if value < 0:
            self.fail(_join(path, key), f"must not be negative (got {value})")
            return None
        if positive and value == 0:
            self.fail(_join(path, key), "must be greater than zero")
            return None
        return value

    def date(self, raw: Mapping[str, Any], key: str, path: str) -> dt.date | None:
        value = raw.get(key)
        if value is None:
            self.fail(_join(path, key), "missing field")
            return None
        if isinstance(value, dt.datetime):
            self.fail(_join(path, key), "expected a date (YYYY-MM-DD), not a date and time")
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(_join(path, key), f"expected a date (YYYY-MM-DD), got {quoted(value)}")
            return None

    def country(self, raw: Mapping[str, Any], key: str, path: str) -> str | None:
        code = self.text(raw, key, path)
        if code is None:
            return None
        try:
            return countries.check_country(code, field=_join(path, key))
        except InvalidInput as exc:
            self.fail(_join(path, key), f"unknown country {quoted(code)} (ISO 3166-1 alpha-2 expected)")
            del exc
            return None

    def timezone(self, raw: Mapping[str, Any], key: str, path: str) -> str | None:
        name = self.text(raw, key, path, required=False)
        if name is None:
            return None
        try:
            return countries.check_timezone(name, field=_join(path, key))
        except InvalidInput:
            self.fail(
                _join(path, key), f"unknown time zone {quoted(name)} (an IANA name such as Europe/Paris)"
            )
            return None


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _read_line(r: _Reader, raw: Any, path: str) -> LineSpec | None:
    m = r.mapping(raw, path, LINE_FIELDS)
    service = r.text(m, "service", path)
    quantity = r.number(m, "quantity", path, required=False, positive=True)
    price = r.number(m, "price", path, required=False)
    list_price = r.number(m, "list_price", path, required=False)
    tz = r.timezone(m, "timezone", path)
    on_site = m.get("on_site", False)
    if not isinstance(on_site, bool):
        r.fail(_join(path, "on_site"), f"expected true or false, got {quoted(on_site)}")
    if service is None:
        return None
    quantity = quantity if quantity is not None else Decimal(1)
    return LineSpec(service, quantity, price, list_price, tz, path, on_site=on_site is True)


def _read_site(r: _Reader, raw: Any, path: str) -> SiteSpec | None:
    m = r.mapping(raw, path, SITE_FIELDS)
    country = r.country(m, "country", path)
    tz = r.timezone(m, "timezone", path)
    raw_lines = m.get("lines")
    lines: list[LineSpec] = []
    if raw_lines is None:
        r.fail(_join(path, "lines"), "missing field (a site lists the services bought for it)")
    elif not isinstance(raw_lines, list):
        r.fail(_join(path, "lines"), "expected a list of lines")
    else:
        for i, raw_line in enumerate(raw_lines):
            line = _read_line(r, raw_line, f"{path}.lines[{i}]")
            if line is not None:
                lines.append(line)
    if country is None:
        return None
    return SiteSpec(country, tz or countries.default_timezone(country), tuple(lines), path)


def _read_allocation(r: _Reader, raw: Any, path: str) -> AllocationSpec | None:
    m = r.mapping(raw, path, ALLOCATION_FIELDS)
    amount = r.number(m, "amount", path)
    assignments: list[AssignmentSpec] = []
    raw_assignments = m.get("assignments") or []
    if not isinstance(raw_assignments, list):
        r.fail(_join(path, "assignments"), "expected a list of assignments")
        raw_assignments = []
    for i, raw_a in enumerate(raw_assignments):
        a_path = f"{path}.assignments[{i}]"
        am = r.mapping(raw_a, a_path, ASSIGNMENT_FIELDS)
        service = r.text(am, "service", a_path)
        site = r.country(am, "site", a_path)
        a_amount = r.number(am, "amount", a_path, positive=True)
        if service and site and a_amount is not None:
            assignments.append(AssignmentSpec(service, site, a_amount, a_path))
    if amount is None:
        return None
    return AllocationSpec(amount, tuple(assignments), path)


def _read_document(raw: Any, index: int, verdict: Verdict) -> OrderDocument | None:
    number = raw.get("order") if isinstance(raw, Mapping) else None
    prefix = f"{number}." if isinstance(number, str | int) and str(number).strip() else f"document[{index}]."
    r = _Reader(verdict, prefix)
    m = r.mapping(raw, "", ORDER_FIELDS)
    if not m:
        return None
    agreement = r.text(m, "agreement", "")
    order = r.text(m, "order", "")
    customer = r.text(m, "customer", "")
    host = r.country(m, "host", "")
    start = r.date(m, "start", "")
    end = r.date(m, "end", "")
    currency = r.text(m, "currency", "")
    if currency is not None and not (len(currency) == 3 and currency.isalpha() and currency.isupper()):
        r.fail("currency", f"expected an ISO 4217 code such as USD or EUR, got {quoted(currency)}")
    usd_rate = r.number(m, "usd_rate", "", required=False, positive=True)
    spend = r.number(m, "assessed_azure_spend", "", required=False)
    managed = m.get("success_management", True)
    if not isinstance(managed, bool):
        r.fail("success_management", f"expected true or false, got {quoted(managed)}")
    elected = m.get("plus_floor_price_elected", False)
    if not isinstance(elected, bool):
        r.fail("plus_floor_price_elected", f"expected true or false, got {quoted(elected)}")
    if start and end and end < start:
        r.fail("end", f"the order ends ({end}) before it starts ({start})")
    signed = r.date(m, "signed", "") if m.get("signed") is not None else None
    if signed and end and signed > end:
        r.fail("signed", f"the order is signed ({signed}) after it ends ({end})")
    raw_sites = m.get("sites")
    sites: list[SiteSpec] = []
    if not raw_sites:
        r.fail("sites", "missing field (an order has at least one site)")
    elif not isinstance(raw_sites, list):
        r.fail("sites", "expected a list of sites")
    else:
        seen: set[str] = set()
        for i, raw_site in enumerate(raw_sites):
            site = _read_site(r, raw_site, f"sites[{i}]")
            if site is None:
                continue
            if site.country in seen:
                r.fail(
                    f"sites[{i}].country",
                    f"{site.country} appears twice: an order names each site by its country once",
                )
            seen.add(site.country)
            sites.append(site)
    allocation = None
    if m.get("flexible_allocation") is not None:
        allocation = _read_allocation(r, m["flexible_allocation"], "flexible_allocation")
        if allocation:
            countries_here = {s.country for s in sites}
            for a in allocation.assignments:
                if a.site not in countries_here:
                    r.fail(f"{a.path}.site", f"{a.site} is not a site of this order")
    if currency and currency != "USD" and allocation is not None and usd_rate is None:
        r.fail(
            "usd_rate",
            f"required when the order is in {currency} and has a flexible allocation (FLX-1 limits are in USD)",
        )
    if not r.ok:
        return None
    assert agreement
    assert order
    assert customer
    assert host
    assert start
    assert end
    assert currency
    return OrderDocument(
        agreement=agreement,
        order=order,
        customer=customer,
        host=host,
        start=start,
        end=end,
        currency=currency,
        sites=tuple(sites),
        usd_rate=usd_rate,
        assessed_azure_spend=spend,
        plus_floor_price_elected=bool(elected),
        success_management=bool(managed),
        flexible_allocation=allocation,
        signed=signed,
        source=m,
    )


class _Loader(LimitedLoader):
    """A safe loader that leaves dates as text, so that a bad one is reported with its field."""


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return str(node.value)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


# Product rule (issue 17 §0): a file larger, or with more orders, is refused before it is read
# whole; the policy may set other limits (order_file_max_bytes, order_file_max_orders).
MAX_BYTES = 5_000_000
MAX_ORDERS = 2_000


def read_order_file(
    text: str, verdict: Verdict, *, max_bytes: int = MAX_BYTES, max_orders: int = MAX_ORDERS
) -> list[OrderDocument]:
    """Return the orders of a YAML order file; problems go to ``verdict`` (marked unreadable)."""
    size = len(text.encode("utf-8", errors="replace"))
    if size > max_bytes:
        verdict.error(None, "file", f"the file is {size:,} bytes: at most {max_bytes:,} are read")
        verdict.unreadable = True
        return []
    try:
        raw_documents = []
        for document in yaml.load_all(text, Loader=_Loader):
            if document is not None:
                raw_documents.append(document)
            if len(raw_documents) > max_orders:
                verdict.error(None, "file", f"the file holds more than {max_orders:,} orders: split it")
                verdict.unreadable = True
                return []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "file"
        problem = getattr(exc, "problem", None) or str(exc)
        verdict.error(None, where, f"not valid YAML at {where}: {problem}")
        verdict.unreadable = True
        return []
    if not raw_documents:
        verdict.error(None, "file", "the file holds no order document")
        verdict.unreadable = True
        return []
    documents: list[OrderDocument] = []
    numbers: set[str] = set()
    for index, raw in enumerate(raw_documents):
        doc = _read_document(raw, index, verdict)
        if doc is None:
            continue
        if doc.order in numbers:
            verdict.error(None, f"{doc.order}.order", f"order {doc.order} appears twice in the file")
            verdict.unreadable = True
            continue
        numbers.add(doc.order)
        documents.append(doc)
    return documents if not verdict.unreadable else []
