"""/api/reviews: an order's monthly service review (JSON, or its PDF or HTML) and the CSAM's portfolio."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Router

from unisupport import clock
from unisupport.accounts.scope import scope_of
from unisupport.api.errors import answered
from unisupport.api.schemas import ErrorOut
from unisupport.success.portfolio import portfolio
from unisupport.success.review import monthly_review
from unisupport.success.review_render import parse_month, render_review

router = Router(tags=["reviews"])


@router.get("/reviews/monthly", response={200: dict[str, Any], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def review(
    request: HttpRequest,
    order: str,
    month: str,
    format: Literal["json", "pdf", "html"] = "json",
    lang: Literal["en", "fr"] = "en",
) -> Any:
    """Return the order's review of `month` (YYYY-MM, the host site's calendar month): JSON, or the PDF or HTML."""

    def run() -> Any:
        scope, first = scope_of(request.user), parse_month(month)
        if format == "json":
            return monthly_review(scope, order=order, month=first, at=clock.now())
        body = render_review(scope, order=order, month=first, language=lang, fmt=format, at=clock.now())
        kind = "application/pdf" if format == "pdf" else "text/html; charset=utf-8"
        return HttpResponse(body, content_type=kind)

    return answered(run)


@router.get("/portfolio", response={200: list[dict[str, Any]], 403: ErrorOut})
def csam_portfolio(request: HttpRequest, everyone: bool = False, sort: str = "agreement") -> Any:
    """Return the caller's portfolio as CSAM (every customer with `everyone`), one line per agreement."""
    return answered(
        lambda: portfolio(
            scope_of(request.user), now=clock.now(), csam_id=None if everyone else request.user.pk, sort=sort
        )
    )
