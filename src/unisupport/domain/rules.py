"""The rules by ID (RULES.md, shipped in the package), so that every ID the product cites can be looked up."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from unisupport.domain.errors import InvalidInput
from unisupport.domain.messages import Message, gettext_noop

_RULE = re.compile(r"^- \*\*(?P<id>[A-Z]{2,4}-\d+)\*\* (?P<text>.*)$")
_SECTION = re.compile(r"^## (?P<title>.+)$")


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: its ID, its section of RULES.md, and its statement (Markdown)."""

    id: str
    section: str
    text: str

    @property
    def reading(self) -> bool:
        """Return True when RULES.md gives the product's interpretation (**Reading:**)."""
        return "**Reading:**" in self.text

    @property
    def product_rule(self) -> bool:
        """Return True for the product's own safeguards (**Product rule:**)."""
        return "**Product rule:**" in self.text

    def as_dict(self) -> dict[str, object]:
        """Return the rule as JSON."""
        return {
            "id": self.id,
            "section": self.section,
            "text": self.text,
            "reading": self.reading,
            "product_rule": self.product_rule,
        }


def parse_rules(text: str) -> dict[str, Rule]:
    """Return the rules of a RULES.md text by ID, in their order."""
    rules: dict[str, Rule] = {}
    section = ""
    for line in text.splitlines():
        if heading := _SECTION.match(line):
            section = heading["title"]
        elif found := _RULE.match(line):
            rules[found["id"]] = Rule(found["id"], section, found["text"].strip())
    return rules


@cache
def all_rules() -> dict[str, Rule]:
    """Return the rules shipped with the package."""
    return parse_rules(
        resources.files("unisupport.domain").joinpath("data", "RULES.md").read_text(encoding="utf-8")
    )


def rule(rule_id: str) -> Rule:
    """Return the rule ``rule_id`` (case-insensitive), or raise InvalidInput naming it."""
    found = all_rules().get(rule_id.strip().upper())
    if found is None:
        raise InvalidInput(
            "rule",
            Message(gettext_noop("no rule {rule!r} (IDs look like SEV-8, ORD-3, FLX-1)"), rule=rule_id),
        )
    return found
