"""Every rule ID the product cites can be looked up in the rules it ships."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from unisupport.domain.errors import InvalidInput
from unisupport.domain.rules import all_rules, rule

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
