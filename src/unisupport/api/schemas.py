"""Schemas of the API (the OpenAPI document at /api/docs is generated from these)."""

from __future__ import annotations

from ninja import Schema


class ServiceOut(Schema):
    code: str
    name_fr: str
    name_en: str
    category: str
    inclusion: str
    mark: str
    unit: str
    unit_note_fr: str
    unit_note_en: str
    description_fr: str
    description_en: str
    languages: list[str]
    not_sold_in: list[str]
    provider: str
    provider_terms: str
    max_quantity: str | None
    needs_vendor_acceptance: bool
    hour_block: bool
    allocation_eligible: bool
    source: str
    rules: list[str]


class ProductOut(Schema):
    name: str
    family: str
    flags: list[str]
    aliases: list[str]
    support_portal: str


class FindingOut(Schema):
    rule: str | None
    message: str
    path: str
    amount: str | None = None


class VerdictOut(Schema):
    valid: bool
    errors: list[FindingOut]
    warnings: list[FindingOut]


class ImportedOrder(Schema):
    order: str
    agreement: str
    version: int
    created: bool


class ImportOut(VerdictOut):
    imported: list[ImportedOrder]


class OrderFile(Schema):
    """An order file's YAML text (or send the YAML itself with Content-Type: application/yaml)."""

    yaml: str


class OrderSummary(Schema):
    order: str
    agreement: str
    customer: str
    version: int
    host: str
    start: str
    end: str
    currency: str
    days_remaining: int
    request_deadline: str


class LineOut(Schema):
    service: str
    name_en: str
    name_fr: str
    mark: str
    quantity: str
    unit: str
    price: str | None
    list_price: str | None
    status: str


class SiteOut(Schema):
    country: str
    timezone: str
    role: str
    lines: list[LineOut]


class AssignmentOut(Schema):
    service: str
    site: str
    amount: str


class AllocationOut(Schema):
    amount: str
    assignments: list[AssignmentOut]


class OrderOut(OrderSummary):
    versions: list[int]
    request_deadline_rule: str
    assessed_azure_spend: str | None
    plus_floor_price_elected: bool
    sites: list[SiteOut]
    flexible_allocation: AllocationOut | None


class ErrorOut(Schema):
    detail: str
    rule: str | None = None
    field: str | None = None
