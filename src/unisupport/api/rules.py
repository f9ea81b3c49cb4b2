"""Rule endpoints: every ID the API returns in a `rule` field can be looked up here."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema, Status

from unisupport.api.schemas import ErrorOut
from unisupport.domain.errors import InvalidInput
from unisupport.domain.rules import all_rules, rule

router = Router(tags=["rules"])


class RuleOut(Schema):
    id: str
    section: str
    text: str
    reading: bool
    product_rule: bool


@router.get("/rules", response=list[RuleOut])
def list_rules(request: HttpRequest) -> list[dict[str, object]]:
    """Return every rule of RULES.md by ID, in order."""
    return [r.as_dict() for r in all_rules().values()]


@router.get("/rules/{rule_id}", response={200: RuleOut, 404: ErrorOut})
def get_rule(request: HttpRequest, rule_id: str) -> Status:
    """Return one rule (404 for an unknown ID)."""
    try:
        return Status(200, rule(rule_id).as_dict())
    except InvalidInput as exc:
        return Status(404, {"detail": exc.message, "field": "rule_id"})
