"""The service catalog (RULES.md §1, CAT-1..CAT-4) and the product catalogue (ORD-10, SEV-3..6).

Both are data files in ``domain/data`` (``services.yaml``, ``products.yaml``); this module
gives them types. The Django ``catalog`` app loads the same data into the database, where the
back office can edit it; the domain reads the file so that it stays pure and fast.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

import yaml

from unisupport.domain.errors import UnknownProduct, UnknownService


class Category(StrEnum):
    """Where a service sits in the source's tables (§2.3–§2.5)."""

    PACKAGE = "package"
    PROACTIVE_PLANNING = "proactive/planning"
    PROACTIVE_IMPLEMENTATION = "proactive/implementation"
    PROACTIVE_MAINTENANCE = "proactive/maintenance"
    PROACTIVE_OPTIMIZATION = "proactive/optimization"
    PROACTIVE_EDUCATION = "proactive/education"
    PROACTIVE_ADDITIONAL = "proactive/additional"
    PROACTIVE_OTHER = "proactive/other"
    REACTIVE = "reactive"
    SUCCESS_MANAGEMENT = "success management"
    CRITICAL_STRATEGIC = "critical & strategic"
    ENHANCED_SOLUTION = "enhanced solution"

    @property
    def is_proactive(self) -> bool:
        """Return True for the proactive families (planning … other)."""
        return self.value.startswith("proactive/")


class Inclusion(StrEnum):
    """The source's marks: ✓ included, + purchasable, +¹ within quantity limits."""

    PACKAGE = "package"  # the foundational package itself (—)
    INCLUDED = "included"  # ✓
    PURCHASABLE = "purchasable"  # +
    QUANTITY_LIMITED = "quantity-limited"  # +¹

    @property
    def mark(self) -> str:
        """Return the source's symbol for this inclusion."""
        return {"package": "—", "included": "✓", "purchasable": "+", "quantity-limited": "+¹"}[self.value]


class Unit(StrEnum):
    """How a service is bought and consumed."""

    CONTRACT = "contract"  # the foundational list price
    ENGAGEMENT = "engagement"
    SUBSCRIPTION = "subscription"
    HOURS = "hours"
    CREDITS = "credits"
    PARTICIPANT = "participant"  # workshops per participant (or dedicated)
    INCIDENT = "incident"
    REQUEST = "request"
    INCLUDED = "included"
    ANNUAL = "annual"
    EVENT = "event"
    TENANT_SET = "tenant-set"
    ANNEX = "annex"
    ORDER_TERM = "order-term"
    QUANTITY = "quantity"

    @property
    def whole_units(self) -> bool:
        """Return True when quantities of this unit must be whole numbers (hours may be fractional)."""
        return self is not Unit.HOURS


@dataclass(frozen=True, slots=True)
class Service:
    """One service of the catalog, as the source describes it."""

    code: str
    name_fr: str
    name_en: str
    category: Category
    inclusion: Inclusion
    unit: Unit
    description_fr: str = ""
    description_en: str = ""
    unit_note_fr: str = ""
    unit_note_en: str = ""
    # CAT-2: delivery languages where the source restricts them (ISO 639-1); empty = unrestricted.
    languages: tuple[str, ...] = ()
    # CAT-2: ISO 3166-1 alpha-2 countries where the service is not sold.
    not_sold_in: tuple[str, ...] = ()
    # CAT-3: who delivers it, and the terms that apply when it is not the vendor.
    provider: str = "Microsoft"
    provider_terms: str = ""
    # ORD-7: the quantity limit of a +¹ service (None: no limit recorded).
    max_quantity: Decimal | None = None
    # ORD-8: lines are accepted or refused by the vendor subject to resource availability.
    needs_vendor_acceptance: bool = False
    # HRS-1: bought as a block of hours on the order.
    hour_block: bool = False
    # FLX-3: may the flexible allocation pay for it?
    allocation_eligible: bool = True
    source: str = ""  # where in the source it is described, e.g. "§2.3 tableau 4"
    rules: tuple[str, ...] = ()  # RULES.md IDs that concern it

    @property
    def is_foundational(self) -> bool:
        """Return True for the foundational package itself."""
        return self.inclusion is Inclusion.PACKAGE

    @property
    def is_included(self) -> bool:
        """Return True for ✓ services (free with foundational, CAT-1)."""
        return self.inclusion is Inclusion.INCLUDED

    @property
    def is_requestable(self) -> bool:
        """Return True for what a delivery request asks for: proactive services (workshops and
        assessments among them) and enhanced solutions (DEL-1)."""
        return self.category.value.startswith("proactive/") or self.category is Category.ENHANCED_SOLUTION

    @property
    def is_addon(self) -> bool:
        """Return True for purchasable services (+ and +¹), which need foundational (ORD-1)."""
        return self.inclusion in (Inclusion.PURCHASABLE, Inclusion.QUANTITY_LIMITED)

    def name(self, lang: str) -> str:
        """Return the name in ``lang`` ("fr" gives the source's own words)."""
        return self.name_fr if lang == "fr" else self.name_en

    def description(self, lang: str) -> str:
        """Return the short description in ``lang``."""
        return self.description_fr if lang == "fr" else self.description_en


class ProductFamily(StrEnum):
    """Broad families used by the response-target rules (SEV-2..6)."""

    AZURE = "azure"
    SECURITY = "security"
    MODERN_WORK = "modern-work"  # Microsoft 365 and its online services
    BUSINESS_APPLICATIONS = "business-applications"  # Dynamics 365
    DATA = "data"  # Microsoft Fabric
    GITHUB = "github"
    ON_PREMISES = "on-premises"  # server products
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Product:
    """A Microsoft product or online service that incidents and orders refer to."""

    name: str
    family: ProductFamily
    # Flags the rules read: "azure" (Azure component for the 15-minute times), "us-government",
    # "azure-china", "sovereign", "security", "online-service", "on-premises", "identity",
    # "client-software", "end-user-device".
    flags: frozenset[str] = field(default_factory=frozenset)
    aliases: tuple[str, ...] = ()
    support_portal: str = ""  # INC-1: the online service's own support portal, if any

    @property
    def is_azure(self) -> bool:
        """Return True for Azure components (the source's « Composants Azure »)."""
        return "azure" in self.flags


@dataclass(frozen=True)
class Catalog:
    """The services and products, looked up by code and by name (case-insensitive)."""

    services: Mapping[str, Service]
    products: Mapping[str, Product]

    def service(self, code: str, *, field: str = "service") -> Service:
        """Return the service with ``code`` or raise UnknownService (CAT-1)."""
        try:
            return self.services[code]
        except KeyError:
            raise UnknownService(code, field) from None

    def product(self, name: str, *, field: str = "product") -> Product:
        """Return the product named ``name`` (or one of its aliases) or raise UnknownProduct."""
        found = self._product_index().get(name.strip().casefold())
        if found is None:
            raise UnknownProduct(name, field)
        return found

    def _product_index(self) -> dict[str, Product]:
        index = self.__dict__.get("_index")
        if index is None:
            index = {}
            for product in self.products.values():
                for key in (product.name, *product.aliases):
                    index[key.casefold()] = product
            object.__setattr__(self, "_index", index)
        return index

    def in_category(self, category: Category) -> list[Service]:
        """Return the services of ``category`` in catalog order."""
        return [s for s in self.services.values() if s.category is category]


def _service(raw: Mapping[str, Any]) -> Service:
    max_quantity = raw.get("max_quantity")
    return Service(
        code=raw["code"],
        name_fr=raw["name_fr"],
        name_en=raw["name_en"],
        category=Category(raw["category"]),
        inclusion=Inclusion(raw["inclusion"]),
        unit=Unit(raw["unit"]),
        description_fr=raw.get("description_fr", "").strip(),
        description_en=raw.get("description_en", "").strip(),
        unit_note_fr=raw.get("unit_note_fr", ""),
        unit_note_en=raw.get("unit_note_en", ""),
        languages=tuple(raw.get("languages") or ()),
        not_sold_in=tuple(raw.get("not_sold_in") or ()),
        provider=raw.get("provider", "Microsoft"),
        provider_terms=raw.get("provider_terms", ""),
        max_quantity=None if max_quantity is None else Decimal(str(max_quantity)),
        needs_vendor_acceptance=bool(raw.get("needs_vendor_acceptance", False)),
        hour_block=bool(raw.get("hour_block", False)),
        allocation_eligible=bool(raw.get("allocation_eligible", True)),
        source=raw.get("source", ""),
        rules=tuple(raw.get("rules") or ()),
    )


def _product(raw: Mapping[str, Any]) -> Product:
    return Product(
        name=raw["name"],
        family=ProductFamily(raw["family"]),
        flags=frozenset(raw.get("flags") or ()),
        aliases=tuple(raw.get("aliases") or ()),
        support_portal=raw.get("support_portal", ""),
    )


def parse_catalog(services_yaml: str, products_yaml: str) -> Catalog:
    """Return the catalog described by the two YAML texts."""
    services = [_service(r) for r in yaml.safe_load(services_yaml)["services"]]
    products = [_product(r) for r in yaml.safe_load(products_yaml)["products"]]
    return Catalog(
        services={s.code: s for s in services},
        products={p.name: p for p in products},
    )


def _data(name: str) -> str:
    return resources.files("unisupport.domain").joinpath("data", name).read_text(encoding="utf-8")


@cache
def default_catalog() -> Catalog:
    """Return the catalog shipped with the package (read once per process)."""
    return parse_catalog(_data("services.yaml"), _data("products.yaml"))


def codes(services: Iterable[Service]) -> list[str]:
    """Return the codes of ``services``, in order."""
    return [s.code for s in services]
