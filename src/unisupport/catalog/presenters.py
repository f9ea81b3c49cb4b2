"""Services as plain data for the CLI's --json and the API (one shape for both)."""

from __future__ import annotations

from unisupport.domain.catalog import Service


def service_json(service: Service, lang: str | None = None) -> dict[str, object]:
    """Return a service as the JSON the CLI and the API print."""
    data: dict[str, object] = {
        "code": service.code,
        "name_fr": service.name_fr,
        "name_en": service.name_en,
        "category": service.category.value,
        "inclusion": service.inclusion.value,
        "mark": service.inclusion.mark,
        "unit": service.unit.value,
        "unit_note_fr": service.unit_note_fr,
        "unit_note_en": service.unit_note_en,
        "description_fr": service.description_fr,
        "description_en": service.description_en,
        "languages": list(service.languages),
        "not_sold_in": list(service.not_sold_in),
        "provider": service.provider,
        "provider_terms": service.provider_terms,
        "max_quantity": None if service.max_quantity is None else str(service.max_quantity),
        "needs_vendor_acceptance": service.needs_vendor_acceptance,
        "hour_block": service.hour_block,
        "allocation_eligible": service.allocation_eligible,
        "source": service.source,
        "rules": list(service.rules),
    }
    if lang:
        data["name"] = service.name(lang)
        data["description"] = service.description(lang)
    return data
