"""How domain decisions travel over HTTP: the rule ID or the field, always named."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from unisupport.domain.errors import DomainError, RuleViolation
from unisupport.incidents.selectors import NotFound
from unisupport.incidents.services.common import Forbidden


def install(api: NinjaAPI) -> None:
    """Register the handlers that turn domain errors into JSON responses."""

    @api.exception_handler(RuleViolation)
    def rule_violation(request: HttpRequest, exc: RuleViolation) -> HttpResponse:
        return api.create_response(request, {"detail": exc.message, **exc.as_dict()}, status=409)

    @api.exception_handler(NotFound)
    def not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
        return api.create_response(request, {"detail": exc.message, **exc.as_dict()}, status=404)

    @api.exception_handler(Forbidden)
    def forbidden(request: HttpRequest, exc: Forbidden) -> HttpResponse:
        return api.create_response(request, {"detail": exc.message, **exc.as_dict()}, status=403)

    # Any other domain error names its field. Ninja walks the exception's MRO, so NotFound and
    # Forbidden (InvalidInput subclasses) get the handlers above, whatever the order.
    @api.exception_handler(DomainError)
    def invalid_input(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return api.create_response(request, {"detail": exc.message, **exc.as_dict()}, status=422)
