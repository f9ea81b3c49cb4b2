"""The monthly service review in the portal: the page, and its PDF (?format=pdf)."""

from __future__ import annotations

import csv
import io

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from unisupport import clock
from unisupport.accounts.scope import scope_of
from unisupport.domain.errors import InvalidInput, NotFound
from unisupport.domain.programmes import add_months
from unisupport.portal.views.common import reader_language
from unisupport.success.portfolio import COLUMNS, portfolio
from unisupport.success.review import monthly_review
from unisupport.success.review_pdf import review_pdf
from unisupport.success.review_render import parse_month


@login_required
def review(request: HttpRequest, number: str, month: str) -> HttpResponse:
    """Return the review of order ``number`` for ``month`` (YYYY-MM), as a page or a PDF."""
    try:
        first = parse_month(month)
        data = monthly_review(scope_of(request.user), order=number, month=first, at=clock.now())
    except (NotFound, InvalidInput):
        raise Http404("no such order or month") from None
    if request.GET.get("format") == "pdf":
        language = reader_language()
        response = HttpResponse(review_pdf(data, language=language), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="review-{number}-{month}.pdf"'
        return response
    context = {
        "r": data,
        "previous": add_months(first, -1).strftime("%Y-%m"),
        "following": add_months(first, 1).strftime("%Y-%m"),
    }
    return render(request, "reviews/review.html", context)


@login_required
def portfolio_page(request: HttpRequest) -> HttpResponse:
    """Return the CSAM's portfolio (one line per customer agreement, sortable; ?format=csv exports it)."""
    scope = scope_of(request.user)
    if not scope.is_vendor:
        raise Http404("the vendor's page")
    everyone = request.GET.get("all") == "1"
    sort = request.GET.get("sort", "agreement")
    rows = portfolio(scope, now=clock.now(), csam_id=None if everyone else request.user.pk, sort=sort)
    if request.GET.get("format") == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="portfolio.csv"'
        return response
    headings = [
        ("agreement", _("Agreement")), ("customer", _("Customer")), ("credits_used", _("Credits used")),
        ("credits_planned", _("Planned by now")), ("burn", _("Burn against plan")), ("at_risk", _("Credits at risk")),
        ("lapses_on", _("Lapse on")), ("breaches", _("Breaches this month")), ("late_milestones", _("Late milestones")),
        ("late_contact_reports", _("Late contact reports")),
    ]  # fmt: skip
    context = {"rows": rows, "sort": sort, "everyone": everyone, "headings": headings}
    return render(request, "reviews/portfolio.html", context)
