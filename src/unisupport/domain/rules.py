"""The rules by ID (RULES.md, shipped in the package), so that every ID the product cites can be looked up.

RULES.md is the English restatement; RULES.fr.md says the same rules, by the same IDs and in the
same sections, in the contract's French. The English file decides which rules exist and which are
a Reading or a Product rule; the French one only says them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from unisupport.domain.errors import InvalidInput
from unisupport.domain.messages import Message, gettext_noop

_RULE = re.compile(r"^- \*\*(?P<id>[A-Z]{2,4}-\d+)\*\* (?P<text>.*)$")
_SECTION = re.compile(r"^## (?P<title>.+)$")

#: The markers RULES.md puts on interpretations and safeguards, per language of the file.
READING_MARKER = {"en": "**Reading:**", "fr": "**Lecture\u00a0:**"}
PRODUCT_RULE_MARKER = {"en": "**Product rule:**", "fr": "**Règle du produit\u00a0:**"}
_FILES = {"en": "RULES.md", "fr": "RULES.fr.md"}


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: its ID, its section of RULES.md, its statement (Markdown), and what kind it is.

    ``reading`` is True when RULES.md gives the product's interpretation (**Reading:**), and
    ``product_rule`` for the product's own safeguards (**Product rule:**).
    """

    id: str
    section: str
    text: str
    reading: bool = False
    product_rule: bool = False

    def as_dict(self) -> dict[str, object]:
        """Return the rule as JSON."""
        return {
            "id": self.id,
            "section": self.section,
            "text": self.text,
            "reading": self.reading,
            "product_rule": self.product_rule,
        }


def parse_rules(text: str, *, language: str = "en") -> dict[str, Rule]:
    """Return the rules of a RULES.md text (written in ``language``) by ID, in their order."""
    rules: dict[str, Rule] = {}
    section = ""
    for line in text.splitlines():
        if heading := _SECTION.match(line):
            section = heading["title"]
        elif found := _RULE.match(line):
            statement = found["text"].strip()
            rules[found["id"]] = Rule(
                found["id"],
                section,
                statement,
                reading=READING_MARKER[language] in statement,
                product_rule=PRODUCT_RULE_MARKER[language] in statement,
            )
    return rules


def _shipped(name: str) -> str:
    return resources.files("unisupport.domain").joinpath("data", name).read_text(encoding="utf-8")


@cache
def all_rules(language: str = "en") -> dict[str, Rule]:
    """Return the rules shipped with the package, said in ``language`` (English when not shipped).

    The English file decides the rules and their kinds; a rule the translation lacks is said in
    English rather than left out, so that every ID stays citable.
    """
    english = parse_rules(_shipped(_FILES["en"]))
    code = language.split("-")[0].lower()
    if code == "en" or code not in _FILES:
        return english
    said = parse_rules(_shipped(_FILES[code]), language=code)
    return {
        rule_id: (
            Rule(rule_id, said[rule_id].section, said[rule_id].text, item.reading, item.product_rule)
            if rule_id in said
            else item
        )
        for rule_id, item in english.items()
    }


def rule(rule_id: str, *, language: str = "en") -> Rule:
    """Return the rule ``rule_id`` (case-insensitive), or raise InvalidInput naming it."""
    found = all_rules(language).get(rule_id.strip().upper())
    if found is None:
        raise InvalidInput(
            "rule",
            Message(gettext_noop("no rule {rule!r} (IDs look like SEV-8, ORD-3, FLX-1)"), rule=rule_id),
        )
    return found
