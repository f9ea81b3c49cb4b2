"""The monthly service review in the portal: the page, and its PDF (?format=pdf)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from unisupport import clock
from unisupport.accounts.scope import scope_of
from unisupport.domain.errors import InvalidInput, NotFound
from unisupport.success.review import monthly_review
from unisupport.success.review_pdf import review_pdf
from unisupport.success.review_render import parse_month


def _shift(month: dt.date, by: int) -> str:
    index = month.year * 12 + month.month - 1 + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@login_required
def review(request: HttpRequest, number: str, month: str) -> HttpResponse:
    """Return the review of order ``number`` for ``month`` (YYYY-MM), as a page or a PDF."""
    try:
        first = parse_month(month)
        data = monthly_review(scope_of(request.user), order=number, month=first, at=clock.now())
    except (NotFound, InvalidInput):
        raise Http404("no such order or month") from None
    if request.GET.get("format") == "pdf":
        language = "fr" if (get_language() or "en").startswith("fr") else "en"
        response = HttpResponse(review_pdf(data, language=language), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="review-{number}-{month}.pdf"'
        return response
    context = {"r": data, "previous": _shift(first, -1), "following": _shift(first, 1)}
    return render(request, "reviews/review.html", context)
