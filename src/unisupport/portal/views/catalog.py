"""The portal's catalog and rules pages: the same for every reader, in the reader's language."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from unisupport.catalog.selectors import services_in
from unisupport.portal.labels import CATEGORY_LABELS, MARK_TITLES, UNIT_LABELS
from unisupport.portal.views.common import reader_language


@login_required
def catalog(request: HttpRequest) -> HttpResponse:
    """Return the service catalog grouped by category, in the reader's language."""
    lang = reader_language()
    groups: dict[str, list[dict[str, object]]] = {}
    for service in services_in():
        groups.setdefault(service.category.value, []).append(
            {
                "service": service,
                "name": service.name(lang),
                "description": service.description(lang),
                "unit_note": service.unit_note_fr if lang == "fr" else service.unit_note_en,
                "mark_title": MARK_TITLES.get(service.inclusion.mark, ""),
                "unit": UNIT_LABELS.get(service.unit.value, service.unit.value),
            }
        )
    categories = [
        {"label": CATEGORY_LABELS.get(key, key), "services": items} for key, items in groups.items()
    ]
    return render(request, "portal/catalog.html", {"categories": categories})


def rules(request: HttpRequest) -> HttpResponse:
    """Return the rules page: every rule by ID, grouped by section (public: the IDs appear in e-mails too)."""
    from unisupport.domain.rules import all_rules

    sections: dict[str, list[object]] = {}
    for item in all_rules(reader_language()).values():
        sections.setdefault(item.section, []).append(item)
    return render(
        request,
        "portal/rules.html",
        {"sections": list(sections.items()), "highlight": request.GET.get("id", "")},
    )
