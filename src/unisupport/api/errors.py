"""How domain decisions travel over HTTP: the rule ID or the field, always named."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from unisupport.domain.errors import DomainError, RuleViolation


def install(api: NinjaAPI) -> None:
    """Register the handlers that turn domain errors into JSON responses."""

    @api.exception_handler(RuleViolation)
    def rule_violation(request: HttpRequest, exc: RuleViolation) -> HttpResponse:
        return api.create_response(request, {"detail": exc.message, **exc.as_dict()}, status=409)

    @api.exception_handler(DomainError)
    def invalid_input(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return api.create_response(request, {"detail": exc.message, **exc.as_dict()}, status=422)
