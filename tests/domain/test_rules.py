"""Every rule ID the product cites can be looked up in the rules it ships."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from unisupport.domain.errors import InvalidInput
from unisupport.domain.rules import all_rules, parse_rules, rule

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT.parent / "shared" / "spec" / "RULES.md"
SHIPPED = ROOT / "src" / "unisupport" / "domain" / "data" / "RULES.md"


def test_the_shipped_rules_are_the_specs():
    if not SPEC.exists():
        pytest.skip("../shared/spec is not beside this checkout")
    assert SHIPPED.read_text(encoding="utf-8") == SPEC.read_text(encoding="utf-8"), (
        "copy ../shared/spec/RULES.md"
    )


def test_rules_are_read_by_id_with_their_section_and_marks():
    rules = all_rules()
    assert len(rules) > 100
    assert rule("sev-8").section.startswith("8. Severities")
    assert rule("SEV-8").reading
    assert rule("FLX-6").product_rule
    with pytest.raises(InvalidInput):
        rule("XYZ-1")


def test_every_rule_id_cited_by_the_code_exists():
    cited: set[str] = set()
    for path in (ROOT / "src" / "unisupport").rglob("*.py"):
        cited |= set(re.findall(r'"([A-Z]{2,4}-\d+)"', path.read_text(encoding="utf-8")))
    unknown = sorted(i for i in cited - set(all_rules()) if not i.startswith(("ESO-", "INC-0")))
    assert unknown == []


# The French rules: the /rules/ page in French says RULES.fr.md (issue 15 §4).

FRENCH = ROOT / "src" / "unisupport" / "domain" / "data" / "RULES.fr.md"


def _sections(rules):
    return list(dict.fromkeys(item.section for item in rules.values()))


def test_every_rule_and_section_is_said_in_french():
    english = parse_rules(SHIPPED.read_text(encoding="utf-8"))
    french = parse_rules(FRENCH.read_text(encoding="utf-8"), language="fr")
    assert list(french) == list(english), "RULES.fr.md has the same IDs, in the same order"
    assert len(_sections(french)) == len(_sections(english))
    for rule_id, item in english.items():
        said = french[rule_id]
        assert _sections(french).index(said.section) == _sections(english).index(item.section), rule_id
        assert said.text != item.text, f"{rule_id} is not translated"


def test_french_section_titles_keep_their_numbers_and_source_references():
    english = _sections(all_rules())
    french = _sections(all_rules("fr"))
    for en, fr in zip(english, french, strict=True):
        assert en.split(" ", 1)[0] == fr.split(" ", 1)[0]
        assert re.findall(r"§[\d.]+", en) == re.findall(r"§[\d.]+", fr), fr
        assert en != fr or " MCS for " in en, (
            fr
        )  # a title that is an offer's name stays as the contract says it


def test_french_marks_readings_and_product_rules_where_english_does():
    french = parse_rules(FRENCH.read_text(encoding="utf-8"), language="fr")
    for rule_id, item in all_rules().items():
        assert french[rule_id].reading == item.reading, f"{rule_id}: « Lecture : »"
        assert french[rule_id].product_rule == item.product_rule, f"{rule_id}: « Règle du produit : »"
    assert "**Reading:**" not in FRENCH.read_text(encoding="utf-8")
    assert "**Product rule:**" not in FRENCH.read_text(encoding="utf-8")


def test_french_keeps_every_code_span_of_the_english():
    for rule_id, item in all_rules().items():
        codes = set(re.findall(r"`([^`]+)`", item.text))
        assert codes <= set(re.findall(r"`([^`]+)`", all_rules("fr")[rule_id].text)), rule_id


def test_rules_in_french_are_looked_up_by_the_same_ids_with_the_same_kinds():
    assert rule("sev-8", language="fr").section.startswith("8. ")
    assert rule("SEV-8", language="fr").reading
    assert rule("FLX-6", language="fr").product_rule
    assert rule("FLX-6", language="fr").text != rule("FLX-6").text
    assert all_rules("fr-ca") == all_rules("fr")
    assert all_rules("de") == all_rules()
