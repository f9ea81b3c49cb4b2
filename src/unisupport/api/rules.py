"""Rule endpoints: every ID the API returns in a `rule` field can be looked up here."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status

from unisupport.api.errors import answered
from unisupport.api.schemas import ErrorOut
from unisupport.domain.errors import InvalidInput, NotFound
from unisupport.domain.rules import all_rules, rule

router = Router(tags=["rules"])


class RuleOut(Schema):
    id: str
    section: str
    text: str
    reading: bool
    product_rule: bool


class RulesQuery(Schema):
    language: Literal["en", "fr"] = "en"


@router.get("/rules", response=list[RuleOut])
def list_rules(request: HttpRequest, query: Query[RulesQuery]) -> list[dict[str, object]]:
    """Return every rule of RULES.md by ID, in order (``language=fr``: in the contract's French)."""
    return [r.as_dict() for r in all_rules(query.language).values()]


@router.get("/rules/{rule_id}", response={200: RuleOut, 404: ErrorOut})
def get_rule(request: HttpRequest, rule_id: str, query: Query[RulesQuery]) -> Status | HttpResponse:
    """Return one rule (404 for an unknown ID; ``language=fr``: in the contract's French)."""

    def compute() -> Status:
        try:
            return Status(200, rule(rule_id, language=query.language).as_dict())
        except InvalidInput as exc:
            # The domain names its own parameter; the path names it rule_id.
            raise NotFound(exc.text, field="rule_id", message=exc.message) from None

    return answered(compute)
