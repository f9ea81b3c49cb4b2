"""The order rules, as a specification: each rule has a valid and a broken case, named by its ID."""

from __future__ import annotations

import textwrap

import pytest

from unisupport.domain.catalog import default_catalog
from unisupport.domain.findings import Outcome, Verdict
from unisupport.domain.order_file import OrderDocument, read_order_file
from unisupport.domain.order_rules import check_orders
from unisupport.domain.policy import default_policy_text, parse_policy

POLICY = parse_policy(default_policy_text())

BASE = """
agreement: CONTOSO-UNIFIED
order: ESO-2026-001
customer: Contoso SA
host: FR
start: 2026-01-01
end: 2026-12-31
currency: USD
"""

THE_ISSUE_EXAMPLE = (
    BASE
    + """
assessed_azure_spend: 75000000
plus_floor_price_elected: false
sites:
  - country: FR
    timezone: Europe/Paris
    lines:
      - {service: foundational, list_price: 1200000}
      - {service: workshop, quantity: 12, price: 36000}
      - {service: proactive-credits, quantity: 500}
  - country: DE
    lines:
      - {service: enhanced-designated-engineering, quantity: 400}
flexible_allocation:
  amount: 240000
  assignments:
    - {service: custom-proactive, site: FR, amount: 50000}
    - {service: proactive-credits, site: FR, amount: 190000}
"""
)


def order(sites: str, extra: str = "", base: str = BASE) -> str:
    """Return an order file: the base header, ``extra`` header fields, then ``sites``."""
    return base + textwrap.dedent(extra) + "sites:\n" + textwrap.indent(textwrap.dedent(sites), "  ")


FR_FOUNDATIONAL = """
- country: FR
  lines:
    - {service: foundational, list_price: 1200000}
"""


def verdict_of(text: str, *, existing: str | None = None) -> Verdict:
    """Return the verdict on ``text``, with the orders of ``existing`` already on record."""
    verdict = Verdict()
    documents = read_order_file(text, verdict)
    stored: list[OrderDocument] = read_order_file(existing, Verdict()) if existing else []
    if documents:
        check_orders(documents, existing=stored, catalog=default_catalog(), policy=POLICY, verdict=verdict)
    return verdict


def rules(verdict: Verdict) -> list[str | None]:
    return [f.rule for f in verdict.errors]


def warning_rules(verdict: Verdict) -> list[str | None]:
    return [f.rule for f in verdict.warnings]


def test_the_issue_example_is_valid():
    verdict = verdict_of(THE_ISSUE_EXAMPLE)
    assert verdict.as_dict() == {"valid": True, "errors": [], "warnings": []}
    assert verdict.outcome is Outcome.VALID


# CAT-1 ------------------------------------------------------------------------------------


def test_cat1_unknown_service_code_is_an_error_naming_the_line():
    verdict = verdict_of(order(FR_FOUNDATIONAL + "    - {service: premier-support}\n"))
    assert rules(verdict) == ["CAT-1"]
    assert verdict.errors[0].path == "ESO-2026-001.sites[0].lines[1].service"
    assert "premier-support" in verdict.errors[0].message
    assert verdict.outcome is Outcome.RULE_BROKEN


def test_cat1_known_services_pass():
    assert verdict_of(order(FR_FOUNDATIONAL + "    - {service: hackathon}\n")).valid


def test_cat1_allocation_cannot_buy_an_included_service():
    text = order(FR_FOUNDATIONAL, "") + textwrap.dedent("""
        flexible_allocation:
          amount: 100000
          assignments:
            - {service: webcasts, site: FR, amount: 100000}
        """)
    assert rules(verdict_of(text)) == ["CAT-1"]


# ORD-1 ------------------------------------------------------------------------------------


def test_ord1_add_on_without_foundational_on_the_agreement():
    verdict = verdict_of(order("- country: DE\n  lines:\n    - {service: workshop, quantity: 3}\n"))
    assert rules(verdict) == ["ORD-1"]
    assert "requires foundational" in verdict.errors[0].message


def test_ord1_mscir_alone_is_refused_as_it_extends_an_existing_agreement():
    verdict = verdict_of(order("- country: DE\n  lines:\n    - {service: mscir}\n"))
    assert rules(verdict) == ["ORD-1"]
    assert "extension of an existing Unified agreement" in verdict.errors[0].message


def test_ord1_mscir_on_an_agreement_with_foundational_is_valid():
    existing = order(FR_FOUNDATIONAL)
    addon = order(
        "- country: DE\n  lines:\n    - {service: mscir}\n", base=BASE.replace("ESO-2026-001", "ESO-2026-009")
    )
    assert verdict_of(addon, existing=existing).valid


def test_ord1_add_on_order_starting_after_foundational_ended():
    existing = order(FR_FOUNDATIONAL)
    addon = (
        BASE.replace("ESO-2026-001", "ESO-2027-002")
        .replace("start: 2026-01-01", "start: 2027-02-01")
        .replace("end: 2026-12-31", "end: 2027-12-31")
    )
    verdict = verdict_of(
        order("- country: DE\n  lines:\n    - {service: workshop}\n", base=addon), existing=existing
    )
    assert rules(verdict) == ["ORD-1"]
    assert verdict.errors[0].path == "ESO-2027-002.start"


def test_ord2_add_on_order_outliving_foundational_is_warned_it_ends_with_it():
    existing = order(FR_FOUNDATIONAL)
    addon = BASE.replace("ESO-2026-001", "ESO-2026-002").replace("end: 2026-12-31", "end: 2027-06-30")
    verdict = verdict_of(
        order("- country: DE\n  lines:\n    - {service: workshop}\n", base=addon), existing=existing
    )
    assert verdict.valid
    assert warning_rules(verdict) == ["ORD-2"]
    assert "2026-12-31" in verdict.warnings[0].message


def test_ord2_no_warning_when_foundational_is_continuous_across_orders():
    """ORD-2: R-1 holds foundational in 2026, R-2 in 2027; add-on R-3 from 2026-07-01 to 2027-06-30
    never outlives it, so it is not warned."""
    r1 = order(FR_FOUNDATIONAL, base=BASE.replace("ESO-2026-001", "R-1"))
    r2 = order(
        FR_FOUNDATIONAL,
        base=BASE.replace("ESO-2026-001", "R-2")
        .replace("start: 2026-01-01", "start: 2027-01-01")
        .replace("end: 2026-12-31", "end: 2027-12-31"),
    )
    r3 = (
        BASE.replace("ESO-2026-001", "R-3")
        .replace("start: 2026-01-01", "start: 2026-07-01")
        .replace("end: 2026-12-31", "end: 2027-06-30")
    )
    verdict = verdict_of(
        order("- country: DE\n  lines:\n    - {service: workshop}\n", base=r3), existing=r1 + "---\n" + r2
    )
    assert verdict.valid
    assert warning_rules(verdict) == []
    # With a gap (R-2 from 2027-02-01), the add-on ends with R-1.
    gap = verdict_of(
        order("- country: DE\n  lines:\n    - {service: workshop}\n", base=r3),
        existing=r1 + "---\n" + r2.replace("start: 2027-01-01", "start: 2027-02-01"),
    )
    assert warning_rules(gap) == ["ORD-2"]
    assert "2026-12-31" in gap.warnings[0].message


# ORD-3 ------------------------------------------------------------------------------------


def test_ord3_companion_without_azure_platform_is_refused():
    verdict = verdict_of(order(FR_FOUNDATIONAL + "    - {service: mcs-azure-workload-companion}\n"))
    assert rules(verdict) == ["ORD-3"]


@pytest.mark.parametrize("platform", ["mcs-azure-platform", "mcs-azure-platform-plus"])
def test_ord3_companion_with_azure_platform_on_the_agreement_is_valid(platform):
    existing = order(FR_FOUNDATIONAL + f"    - {{service: {platform}}}\n", "plus_floor_price_elected: true\n")
    addon = order(
        "- country: DE\n  lines:\n    - {service: mcs-azure-workload-companion}\n",
        base=BASE.replace("ESO-2026-001", "ESO-2026-003"),
    )
    assert verdict_of(addon, existing=existing).valid


# ORD-4 ------------------------------------------------------------------------------------


def test_ord4_plus_tier_below_60m_spend_without_floor_price_is_refused():
    verdict = verdict_of(
        order(
            FR_FOUNDATIONAL + "    - {service: mcs-azure-platform-plus}\n", "assessed_azure_spend: 59999999\n"
        )
    )
    assert rules(verdict) == ["ORD-4"]
    assert "60,000,000" in verdict.errors[0].message


@pytest.mark.parametrize(
    "extra",
    ["assessed_azure_spend: 60000000\n", "assessed_azure_spend: 1000\nplus_floor_price_elected: true\n"],
)
def test_ord4_plus_tier_at_60m_or_with_the_floor_price_is_valid(extra):
    assert verdict_of(order(FR_FOUNDATIONAL + "    - {service: mcs-azure-platform-plus}\n", extra)).valid


def test_ord4_a_qualifying_customer_on_the_base_tier_is_told_plus_needs_marking():
    verdict = verdict_of(
        order(FR_FOUNDATIONAL + "    - {service: mcs-azure-platform}\n", "assessed_azure_spend: 75000000\n")
    )
    assert verdict.valid
    assert warning_rules(verdict) == ["ORD-4"]


# ORD-6 ------------------------------------------------------------------------------------


@pytest.mark.parametrize("service", ["designated-engineering", "enhanced-designated-engineering"])
def test_ord6_de_or_ede_at_more_than_one_site_is_refused(service):
    sites = (
        FR_FOUNDATIONAL
        + f"    - {{service: {service}, quantity: 100}}\n"
        + (f"- country: DE\n  lines:\n    - {{service: {service}, quantity: 100}}\n")
    )
    verdict = verdict_of(order(sites))
    assert rules(verdict) == ["ORD-6"]
    assert verdict.errors[0].path == "ESO-2026-001.sites[1].lines[0].service"


def test_ord6_ede_at_one_downstream_site_is_valid():
    sites = (
        FR_FOUNDATIONAL
        + "- country: DE\n  lines:\n    - {service: enhanced-designated-engineering, quantity: 400}\n"
    )
    assert verdict_of(order(sites)).valid


# ORD-8 ------------------------------------------------------------------------------------


def test_ord8_lines_subject_to_resource_availability_are_flagged_for_vendor_acceptance():
    verdict = verdict_of(order(FR_FOUNDATIONAL + "    - {service: azure-rapid-response}\n"))
    assert verdict.valid
    assert warning_rules(verdict) == ["ORD-8"]


# MC-1 -------------------------------------------------------------------------------------


def test_mc1_host_site_without_foundational_is_refused():
    verdict = verdict_of(order("- country: FR\n  lines:\n    - {service: workshop}\n"))
    assert "MC-1" in rules(verdict)
    assert "ORD-1" in rules(verdict)


def test_mc1_foundational_at_a_downstream_site_is_refused():
    sites = FR_FOUNDATIONAL + "- country: DE\n  lines:\n    - {service: foundational, list_price: 10}\n"
    verdict = verdict_of(order(sites))
    assert rules(verdict) == ["MC-1"]
    assert verdict.errors[0].path == "ESO-2026-001.sites[1].lines[0].service"


def test_mc1_host_site_may_rely_on_another_order_of_the_same_agreement():
    existing = order(FR_FOUNDATIONAL)
    addon = order(
        "- country: FR\n  lines:\n    - {service: workshop}\n",
        base=BASE.replace("ESO-2026-001", "ESO-2026-002"),
    )
    assert verdict_of(addon, existing=existing).valid


def test_mc1_another_order_in_the_same_file_counts_too():
    text = (
        order(FR_FOUNDATIONAL)
        + "---\n"
        + order(
            "- country: FR\n  lines:\n    - {service: workshop}\n",
            base=BASE.replace("ESO-2026-001", "ESO-2026-002"),
        )
    )
    assert verdict_of(text).valid


def test_mc1_orders_of_one_agreement_name_one_host():
    existing = order(FR_FOUNDATIONAL)
    other = BASE.replace("ESO-2026-001", "ESO-2026-002").replace("host: FR", "host: DE")
    verdict = verdict_of(
        order("- country: DE\n  lines:\n    - {service: workshop}\n", base=other), existing=existing
    )
    assert rules(verdict) == ["MC-1"]
    assert verdict.errors[0].path == "ESO-2026-002.host"


# MC-5 -------------------------------------------------------------------------------------


@pytest.mark.parametrize("country", ["AU", "NZ", "IN", "CN", "HK", "TW", "MO", "JP", "KR"])
def test_mc5_a_local_requirements_country_cannot_share_its_order(country):
    sites = FR_FOUNDATIONAL + f"- country: {country}\n  lines:\n    - {{service: workshop}}\n"
    verdict = verdict_of(order(sites))
    assert rules(verdict) == ["MC-5"]
    assert verdict.errors[0].path == "ESO-2026-001.sites[1].country"


def test_mc5_a_dedicated_order_for_japan_on_an_agreement_hosted_elsewhere_is_valid():
    existing = order(FR_FOUNDATIONAL)
    japan = order(
        "- country: JP\n  lines:\n    - {service: workshop}\n",
        base=BASE.replace("ESO-2026-001", "ESO-2026-002"),
    )
    assert verdict_of(japan, existing=existing).valid


def test_mc5_a_single_country_agreement_in_japan_is_unaffected():
    base = BASE.replace("host: FR", "host: JP")
    sites = "- country: JP\n  lines:\n    - {service: foundational, list_price: 500000}\n    - {service: workshop}\n"
    assert verdict_of(order(sites, base=base)).valid


def test_mc5_the_country_list_is_configuration():
    from dataclasses import replace

    policy = replace(POLICY, mc5_dedicated_order_countries=frozenset({"DE"}))
    verdict = Verdict()
    docs = read_order_file(
        order(FR_FOUNDATIONAL + "- country: DE\n  lines:\n    - {service: workshop}\n"), verdict
    )
    check_orders(docs, catalog=default_catalog(), policy=policy, verdict=verdict)
    assert rules(verdict) == ["MC-5"]


# MC-10 ------------------------------------------------------------------------------------


def test_mc10_uer_at_a_downstream_site_is_refused():
    sites = FR_FOUNDATIONAL + "- country: DE\n  lines:\n    - {service: unified-enhanced-response}\n"
    verdict = verdict_of(order(sites))
    assert rules(verdict) == ["MC-10"]


def test_mc10_uer_at_the_host_is_valid():
    assert verdict_of(order(FR_FOUNDATIONAL + "    - {service: unified-enhanced-response}\n")).valid


# FLX --------------------------------------------------------------------------------------


def allocation(amount: int, *assignments: str) -> str:
    body = "".join(f"    - {a}\n" for a in assignments)
    return f"flexible_allocation:\n  amount: {amount}\n  assignments:\n{body}"


def test_flx1_custom_proactive_over_the_greater_of_20_percent_and_50000_usd_is_refused():
    text = order(FR_FOUNDATIONAL) + allocation(
        500000,
        "{service: custom-proactive, site: FR, amount: 100001}",
        "{service: workshop, site: FR, amount: 399999}",
    )
    verdict = verdict_of(text)
    assert rules(verdict) == ["FLX-1"]
    assert "100,000.00" in verdict.errors[0].message


def test_flx1_custom_proactive_at_exactly_20_percent_is_valid():
    text = order(FR_FOUNDATIONAL) + allocation(
        500000,
        "{service: custom-proactive, site: FR, amount: 100000}",
        "{service: workshop, site: FR, amount: 400000}",
    )
    assert verdict_of(text).valid


def test_flx1_the_50000_usd_floor_applies_to_small_allocations():
    text = order(FR_FOUNDATIONAL) + allocation(
        100000,
        "{service: custom-proactive, site: FR, amount: 50000}",
        "{service: workshop, site: FR, amount: 50000}",
    )
    assert verdict_of(text).valid
    over = order(FR_FOUNDATIONAL) + allocation(
        100000,
        "{service: custom-proactive, site: FR, amount: 50001}",
        "{service: workshop, site: FR, amount: 49999}",
    )
    assert rules(verdict_of(over)) == ["FLX-1"]


def test_flx1_the_floor_never_lets_custom_proactive_exceed_the_allocation():
    text = order(FR_FOUNDATIONAL) + allocation(40000, "{service: custom-proactive, site: FR, amount: 40000}")
    assert verdict_of(text).valid


def test_flx1_the_usd_floor_is_converted_at_the_order_rate():
    base = BASE.replace("currency: USD", "currency: EUR\nusd_rate: 0.9")
    # 50,000 USD × 0.9 = 45,000 EUR is the floor here.
    ok = order(FR_FOUNDATIONAL, base=base) + allocation(
        100000,
        "{service: custom-proactive, site: FR, amount: 45000}",
        "{service: workshop, site: FR, amount: 55000}",
    )
    assert verdict_of(ok).valid
    over = order(FR_FOUNDATIONAL, base=base) + allocation(
        100000,
        "{service: custom-proactive, site: FR, amount: 45001}",
        "{service: workshop, site: FR, amount: 54999}",
    )
    assert rules(verdict_of(over)) == ["FLX-1"]


def test_flx3_allocation_to_success_management_is_refused():
    text = order(FR_FOUNDATIONAL) + allocation(
        100000, "{service: success-management, site: FR, amount: 100000}"
    )
    assert rules(verdict_of(text)) == ["FLX-3"]


def test_flx5_unassigned_allocation_is_warned_with_the_amount_forfeited():
    text = order(FR_FOUNDATIONAL) + allocation(
        240000, "{service: proactive-credits, site: FR, amount: 200000}"
    )
    verdict = verdict_of(text)
    assert verdict.valid
    assert warning_rules(verdict) == ["FLX-5"]
    assert verdict.warnings[0].amount == "40000"
    assert "USD 40,000.00" in verdict.warnings[0].message


def test_flx6_assignments_over_the_allocation_are_refused():
    text = order(FR_FOUNDATIONAL) + allocation(
        100000,
        "{service: workshop, site: FR, amount: 60000}",
        "{service: hackathon, site: FR, amount: 40001}",
    )
    assert rules(verdict_of(text)) == ["FLX-6"]


def test_flx7_allocation_over_the_foundational_list_price_is_refused():
    text = order(FR_FOUNDATIONAL) + allocation(
        1200001, "{service: proactive-credits, site: FR, amount: 1200001}"
    )
    assert rules(verdict_of(text)) == ["FLX-7"]


def test_flx7_allocation_on_an_order_without_foundational_is_refused():
    existing = order(FR_FOUNDATIONAL)
    addon = order(
        "- country: DE\n  lines:\n    - {service: workshop}\n",
        base=BASE.replace("ESO-2026-001", "ESO-2026-002"),
    )
    text = addon + allocation(1000, "{service: workshop, site: DE, amount: 1000}")
    assert rules(verdict_of(text, existing=existing)) == ["FLX-7"]


# HRS-5 ------------------------------------------------------------------------------------


def test_hrs5_rsm_addon_without_an_agreed_time_zone_is_warned():
    verdict = verdict_of(
        order(FR_FOUNDATIONAL + "    - {service: reactive-support-management-addon, quantity: 40}\n")
    )
    assert "HRS-5" in warning_rules(verdict)
    ok = verdict_of(
        order(
            FR_FOUNDATIONAL
            + "    - {service: reactive-support-management-addon, quantity: 40, timezone: Asia/Tokyo}\n"
        )
    )
    assert "HRS-5" not in warning_rules(ok)
