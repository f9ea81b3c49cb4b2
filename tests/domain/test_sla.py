"""Initial response targets: every cell of RULES.md §8 and every exclusion list (SEV-2..SEV-7,
EVT-1, EVT-2, EVT-5, MCS-6, MCS-8), and due times on their clocks.

Products come from the shipped product catalogue (the names are the ones the rules use).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from unisupport.domain.calendar import TWENTY_FOUR_SEVEN, calendar_for
from unisupport.domain.catalog import Catalog, Product, ProductFamily, default_catalog
from unisupport.domain.errors import InvalidInput, UnknownProduct, UnknownService
from unisupport.domain.sla import (
    ClockKind,
    ResponseTarget,
    Severity,
    counts_until,
    due_at,
    parse_response_matrix,
    response_matrix,
    response_target,
)

PARIS = ZoneInfo("Europe/Paris")
B24, BUS = ClockKind.TWENTY_FOUR_SEVEN, ClockKind.BUSINESS
UER = "unified-enhanced-response"
MCS_AP, MCS_AP_PLUS = "mcs-azure-platform", "mcs-azure-platform-plus"
EVENTS, EVENTS_PLUS = "mcs-azure-events", "mcs-azure-events-plus"
SECURITY = "mcs-security-cloud"
ARR = "azure-rapid-response"

AZURE = "Azure Virtual Machines"  # an Azure component on no exclusion list
OTHER = "SQL Server"  # not Azure, not security
SECURITY_PRODUCT = "Microsoft Sentinel"  # security (and Azure)


def target(offerings, product, severity, **kwargs) -> tuple[int, ClockKind, str, tuple[str, ...]]:
    found = response_target(offerings=offerings, product=product, severity=severity, **kwargs)
    return found.minutes, found.clock, found.offering, found.rules


def product(name: str) -> Product:
    return default_catalog().product(name)


# -- the §8 table, row by row, column by column (SEV-2, SEV-7) -------------------------------

TABLE = [
    # offering, product, severity, 24x7 option, event window → minutes, clock, offering, rules
    # foundational (reactive support)
    ("foundational", AZURE, "1", False, False, 15, B24, "foundational", ("SEV-2", "SEV-7")),
    ("foundational", OTHER, "1", False, False, 60, B24, "foundational", ("SEV-2", "SEV-7")),
    ("foundational", AZURE, "A", False, False, 60, B24, "foundational", ("SEV-2", "SEV-7")),
    ("foundational", OTHER, "A", False, False, 60, B24, "foundational", ("SEV-2", "SEV-7")),
    ("foundational", OTHER, "B", False, False, 120, BUS, "foundational", ("SEV-2", "SEV-7")),
    ("foundational", OTHER, "B", True, False, 120, B24, "foundational", ("SEV-2", "SEV-7")),
    ("foundational", AZURE, "C", False, False, 240, BUS, "foundational", ("SEV-2", "SEV-7")),
    ("foundational", OTHER, "C", False, False, 240, BUS, "foundational", ("SEV-2", "SEV-7")),
    # unified-enhanced-response: Sev 1 Azure 15 / other 30, Sev A 30, B and C foundational
    (UER, AZURE, "1", False, False, 15, B24, UER, ("SEV-2", "SEV-7")),
    (UER, OTHER, "1", False, False, 30, B24, UER, ("SEV-2", "SEV-7")),
    (UER, AZURE, "A", False, False, 30, B24, UER, ("SEV-2", "SEV-7")),
    (UER, OTHER, "A", False, False, 30, B24, UER, ("SEV-2", "SEV-7")),
    (UER, OTHER, "B", False, False, 120, BUS, "foundational", ("SEV-2", "SEV-7")),
    (UER, OTHER, "B", True, False, 120, B24, "foundational", ("SEV-2", "SEV-7")),
    (UER, OTHER, "C", False, False, 240, BUS, "foundational", ("SEV-2", "SEV-7")),
    # mcs-azure-platform(-plus): Sev 1 15 min, the rest foundational (Azure products only, MCS-6)
    (MCS_AP, AZURE, "1", False, False, 15, B24, MCS_AP, ("SEV-2", "SEV-7")),
    (MCS_AP, AZURE, "A", False, False, 60, B24, "foundational", ("SEV-2", "SEV-7")),
    (MCS_AP, AZURE, "B", False, False, 120, BUS, "foundational", ("SEV-2", "SEV-7")),
    (MCS_AP, AZURE, "C", False, False, 240, BUS, "foundational", ("SEV-2", "SEV-7")),
    (MCS_AP_PLUS, AZURE, "1", False, False, 15, B24, MCS_AP_PLUS, ("SEV-2", "SEV-7")),
    (MCS_AP_PLUS, AZURE, "A", False, False, 60, B24, "foundational", ("SEV-2", "SEV-7")),
    (MCS_AP_PLUS, AZURE, "B", True, False, 120, B24, "foundational", ("SEV-2", "SEV-7")),
    (MCS_AP_PLUS, AZURE, "C", False, False, 240, BUS, "foundational", ("SEV-2", "SEV-7")),
    # mcs-azure-events(-plus), during coverage: Sev 1 15 min, the rest foundational
    (EVENTS, AZURE, "1", False, True, 15, B24, EVENTS, ("SEV-2", "SEV-7", "EVT-1")),
    (EVENTS, AZURE, "A", False, True, 60, B24, "foundational", ("SEV-2", "SEV-7")),
    (EVENTS, AZURE, "B", False, True, 120, BUS, "foundational", ("SEV-2", "SEV-7")),
    (EVENTS, AZURE, "C", False, True, 240, BUS, "foundational", ("SEV-2", "SEV-7")),
    (EVENTS_PLUS, AZURE, "1", False, True, 15, B24, EVENTS_PLUS, ("SEV-2", "SEV-7", "EVT-2")),
    (EVENTS_PLUS, AZURE, "A", False, True, 60, B24, "foundational", ("SEV-2", "SEV-7")),
    (EVENTS_PLUS, AZURE, "B", False, True, 120, BUS, "foundational", ("SEV-2", "SEV-7")),
    (EVENTS_PLUS, AZURE, "C", False, True, 240, BUS, "foundational", ("SEV-2", "SEV-7")),
    # mcs-security-cloud: Sev 1 and A 15 min (security products, MCS-8), B and C foundational
    (SECURITY, SECURITY_PRODUCT, "1", False, False, 15, B24, SECURITY, ("SEV-2", "SEV-7")),
    (SECURITY, "Microsoft Entra ID", "1", False, False, 15, B24, SECURITY, ("SEV-2", "SEV-7")),
    (SECURITY, SECURITY_PRODUCT, "A", False, False, 15, B24, SECURITY, ("SEV-2", "SEV-7")),
    (SECURITY, SECURITY_PRODUCT, "B", False, False, 120, BUS, "foundational", ("SEV-2", "SEV-7")),
    (SECURITY, SECURITY_PRODUCT, "C", False, False, 240, BUS, "foundational", ("SEV-2", "SEV-7")),
    # azure-rapid-response: Sev 1 15 min (Azure components), the rest foundational
    (ARR, AZURE, "1", False, False, 15, B24, ARR, ("SEV-2", "SEV-7")),
    (ARR, AZURE, "A", False, False, 60, B24, "foundational", ("SEV-2", "SEV-7")),
    (ARR, AZURE, "B", False, False, 120, BUS, "foundational", ("SEV-2", "SEV-7")),
    (ARR, AZURE, "C", False, False, 240, BUS, "foundational", ("SEV-2", "SEV-7")),
]


@pytest.mark.parametrize(
    ("offering", "product_name", "severity", "option", "window", "minutes", "clock", "by", "rules"),
    TABLE,
    ids=[f"SEV-2 {row[0]} Sev{row[2]} {row[1]}{' 24x7' if row[3] else ''}" for row in TABLE],
)
def test_sev2_sev7_every_cell_of_the_table(
    offering, product_name, severity, option, window, minutes, clock, by, rules
):
    """SEV-2 (fastest wins, foundational fallback) and SEV-7 (the clock) for each cell of §8."""
    assert target([offering], product_name, severity, option_24x7=option, event_window_open=window) == (
        minutes,
        clock,
        by,
        rules,
    )


def test_sev2_foundational_is_always_implied():
    assert (
        target([], OTHER, "C")
        == target(["foundational"], OTHER, "C")
        == (240, BUS, "foundational", ("SEV-2", "SEV-7"))
    )


def test_sev2_the_fastest_offering_wins_whatever_the_order():
    offerings = [ARR, SECURITY, UER, MCS_AP]
    # SQL Server: UER's 30 minutes; MCS for Azure Platform (on-premises, SEV-6) and Security
    # Cloud (not a security product, MCS-8) would have been faster, so their rules are cited.
    expected = (30, B24, UER, ("SEV-2", "SEV-6", "SEV-7", "MCS-8"))
    assert target(offerings, OTHER, "1") == expected
    assert target(list(reversed(offerings)), OTHER, "1") == expected
    assert target(offerings, "Microsoft Intune", "A") == (15, B24, SECURITY, ("SEV-2", "SEV-7"))


def test_sev2_at_equal_times_the_enhanced_offering_is_named_in_table_order():
    # §2.5 says ARR's times prevail over foundational's: the team that answers is named.
    assert target([ARR, UER], AZURE, "1") == (15, B24, UER, ("SEV-2", "SEV-7"))
    assert target([ARR, MCS_AP], AZURE, "1") == (15, B24, MCS_AP, ("SEV-2", "SEV-7"))


def test_sev2_reading_uer_sev1_au_moins_30_minutes_is_30_minutes_or_less():
    """SEV-2 Reading: « 30 minutes au moins » is read as 30 minutes (a ceiling, not a floor)."""
    assert target([UER], "Exchange Online", "1")[:2] == (30, B24)


def test_sev2_reading_uer_sev_a_quinze_30_minutes_is_30_minutes():
    """SEV-2 Reading: « quinze (30) minutes » is read as 30."""
    assert target([UER], "Exchange Online", "A")[:2] == (30, B24)


def test_sev2_reading_sev_c_quatre_5_heures_is_4_business_hours():
    """SEV-2 Reading: « quatre (5) heures ouvrées » is read as 4 business hours (the response column)."""
    assert target([], OTHER, "C")[:2] == (240, BUS)


def test_sev2_reading_security_cloud_sev_a_is_15_minutes():
    """SEV-2 Reading (low confidence): Security Cloud Sev A, blank response column, is 15 minutes."""
    assert target([SECURITY], "Microsoft Defender", "A") == (15, B24, SECURITY, ("SEV-2", "SEV-7"))


# -- product scope of each offering (SEV-2 "product in scope", MCS-6, MCS-8, EVT-5) ----------


def test_mcs6_mcs_for_azure_platform_covers_azure_products_only():
    assert target([MCS_AP], "Exchange Online", "1") == (60, B24, "foundational", ("SEV-2", "SEV-7", "MCS-6"))


def test_mcs8_security_cloud_covers_security_products_only():
    assert target([SECURITY], OTHER, "A") == (60, B24, "foundational", ("SEV-2", "SEV-7", "MCS-8"))
    assert target([SECURITY], AZURE, "1") == (15, B24, "foundational", ("SEV-2", "SEV-7"))


def test_sev2_azure_rapid_response_covers_azure_components_only():
    assert target([ARR], OTHER, "1") == (60, B24, "foundational", ("SEV-2", "SEV-7"))


def test_evt5_events_cover_azure_public_cloud_products_only():
    assert target([EVENTS], OTHER, "1", event_window_open=True) == (
        60,
        B24,
        "foundational",
        ("SEV-2", "SEV-7", "EVT-5"),
    )


# -- event coverage windows (EVT-1, EVT-2) ---------------------------------------------------


def test_evt1_events_only_count_while_the_coverage_window_is_open():
    # Azure Communication Services takes 60 min under foundational (SEV-3) but is not on the
    # EVT-5 list: the event offering makes the difference, inside its window only.
    acs = "Azure Communication Services"
    assert target([EVENTS], acs, "1", event_window_open=True) == (
        15,
        B24,
        EVENTS,
        ("SEV-2", "SEV-7", "EVT-1"),
    )
    assert target([EVENTS], acs, "1", event_window_open=False) == (
        60,
        B24,
        "foundational",
        ("SEV-2", "SEV-3", "SEV-7", "EVT-1"),
    )


def test_evt2_events_plus_only_count_while_the_coverage_window_is_open():
    acs = "Azure Communication Services"
    assert target([EVENTS_PLUS], acs, "1", event_window_open=True)[2] == EVENTS_PLUS
    assert target([EVENTS_PLUS], acs, "1", event_window_open=False) == (
        60,
        B24,
        "foundational",
        ("SEV-2", "SEV-3", "SEV-7", "EVT-2"),
    )


def test_evt1_a_closed_window_that_changes_nothing_is_not_cited():
    assert target([EVENTS], AZURE, "1", event_window_open=False) == (
        15,
        B24,
        "foundational",
        ("SEV-2", "SEV-7"),
    )


# -- exclusion lists (SEV-3, SEV-4, SEV-5, SEV-6, EVT-5) -------------------------------------

SEV3 = ["Azure StorSimple", "GitHub AE", "Azure Communication Services", "Billing & Subscription Management"]
SEV4 = [
    "Azure US Government",
    "Azure StorSimple",
    "GitHub AE",
    "A40",
    "Azure Media Services",
    "Azure Stack",
    "Test Base for M365",
    "Microsoft Mesh",
    "Universal Print",
]
SEV5 = [
    "Azure Media Services",
    "Azure Stack",
    "Azure StorSimple",
    "GitHub AE",
    "Universal Print",
    "Azure Communication Services",
    "Billing & Subscription Management",
    "Test Base for M365",
    "Microsoft Mesh",
]
SEV6 = [
    "Azure US Government",
    "Azure China Cloud",
    "Azure Media Services",
    "Azure Stack",
    "Azure Billing",
    "Azure Maps",
    "Azure StorSimple",
    "GitHub AE",
    "Universal Print",
    "Test Base for M365",
    "Microsoft Mesh",
    # « technologies sur site, appareils des utilisateurs, logiciels clients, identité »
    "Windows Server",
    "Windows 11",
    "Microsoft 365 Apps",
    "Microsoft Entra ID",
]
EVT5 = [
    "Microsoft 365",
    "Dynamics 365",
    "Microsoft Fabric",
    "Azure Stack",
    "Azure Billing",
    "Azure Maps",
    "Azure StorSimple",
    "GitHub AE",
    "Universal Print",
    "Test Base for M365",
    "Microsoft Mesh",
    "Azure US Government",  # no government …
    "Azure China Cloud",  # … or sovereign clouds
]


@pytest.mark.parametrize("name", SEV3)
def test_sev3_excluded_azure_products_take_the_other_products_time(name):
    """SEV-3 (and its Reading): excluded from the 15-minute Azure time, they take 60 minutes."""
    assert response_matrix().exclusions["SEV-3"].matches(product(name))
    assert target([], name, "1") == (60, B24, "foundational", ("SEV-2", "SEV-3", "SEV-7"))


def test_sev3_other_azure_products_keep_the_15_minute_time():
    for name in ("Azure Virtual Machines", "Azure Media Services", "Azure US Government", "Azure Stack"):
        assert not response_matrix().exclusions["SEV-3"].matches(product(name))
        assert target([], name, "1") == (15, B24, "foundational", ("SEV-2", "SEV-7"))


@pytest.mark.parametrize("name", SEV4)
def test_sev4_uer_excluded_azure_products_take_uers_other_products_time(name):
    """SEV-4 (and its Reading): UER gives them 30 minutes, not 15; foundational may still be faster."""
    assert response_matrix().exclusions["SEV-4"].matches(product(name))
    if name in SEV3:  # foundational says 60 (SEV-3), UER says 30 (SEV-4): UER's 30 wins
        expected = (30, B24, UER, ("SEV-2", "SEV-3", "SEV-4", "SEV-7"))
    else:  # foundational's Azure 15 minutes stays the fastest; SEV-4 changed nothing
        expected = (15, B24, "foundational", ("SEV-2", "SEV-7"))
    assert target([UER], name, "1") == expected


def test_sev4_products_not_on_the_uer_list_keep_uers_azure_time():
    # Azure Communication Services is on SEV-3 but not on SEV-4: UER's 15 minutes apply.
    assert target([UER], "Azure Communication Services", "1") == (15, B24, UER, ("SEV-2", "SEV-7"))


@pytest.mark.parametrize("name", SEV5)
def test_sev5_azure_rapid_response_does_not_cover_its_exclusions(name):
    assert response_matrix().exclusions["SEV-5"].matches(product(name))
    if name in SEV3:  # ARR's 15 minutes lost, foundational's 60 remain
        expected = (60, B24, "foundational", ("SEV-2", "SEV-3", "SEV-5", "SEV-7"))
    else:
        expected = (15, B24, "foundational", ("SEV-2", "SEV-7"))
    assert target([ARR], name, "1") == expected


@pytest.mark.parametrize("name", SEV6)
@pytest.mark.parametrize("offering", [MCS_AP, MCS_AP_PLUS])
def test_sev6_mcs_for_azure_platform_does_not_cover_its_exclusions(offering, name):
    assert response_matrix().exclusions["SEV-6"].matches(product(name))
    found = response_target(offerings=[offering], product=product(name), severity="1")
    assert found.offering == "foundational"
    slower = found.minutes > 15
    assert ("SEV-6" in found.rules) == slower  # cited only when it made the answer slower


def test_sev6_an_on_premises_product_is_cited_under_sev6():
    assert target([MCS_AP], "Windows Server", "1") == (60, B24, "foundational", ("SEV-2", "SEV-6", "SEV-7"))
    assert target([MCS_AP], "Azure StorSimple", "1") == (
        60,
        B24,
        "foundational",
        ("SEV-2", "SEV-3", "SEV-6", "SEV-7"),
    )


def test_sev6_products_not_on_the_list_are_covered():
    # Billing & Subscription Management (SEV-3) is not the "Azure Billing" of SEV-6.
    assert target([MCS_AP], "Billing & Subscription Management", "1") == (15, B24, MCS_AP, ("SEV-2", "SEV-7"))


@pytest.mark.parametrize("name", EVT5)
def test_evt5_events_do_not_cover_their_exclusions(name):
    assert response_matrix().exclusions["EVT-5"].matches(product(name))
    found = response_target(offerings=[EVENTS], product=product(name), severity="1", event_window_open=True)
    assert found.offering == "foundational"
    assert ("EVT-5" in found.rules) == (found.minutes > 15)


def test_sev3_sev4_evt5_exclusion_lists_match_aliases_flags_and_families():
    made_up = Product(
        name="Contoso Gov Cloud", family=ProductFamily.AZURE, flags=frozenset({"azure", "us-government"})
    )
    assert response_matrix().exclusions["SEV-4"].matches(made_up)
    aliased = Product(
        name="StorSimple",
        family=ProductFamily.AZURE,
        flags=frozenset({"azure"}),
        aliases=("azure storsimple",),
    )
    assert response_matrix().exclusions["SEV-3"].matches(aliased)
    power_bi = Product(name="Power BI", family=ProductFamily.DATA)
    assert response_matrix().exclusions["EVT-5"].matches(power_bi)


# -- SEV-7: the clock, and the due time -----------------------------------------------------


def test_sev7_due_at_on_a_business_clock_the_issue_cli_example():
    opened = datetime(2026, 12, 24, 16, 0, tzinfo=PARIS)
    found = response_target(offerings=[], product=AZURE, severity="C")
    assert found.as_dict() == {
        "target_minutes": 240,
        "clock": "business",
        "offering": "foundational",
        "rules": ["SEV-2", "SEV-7"],
    }
    due = due_at(opened, found, calendar_for("FR"))
    assert due.astimezone(UTC).isoformat().replace("+00:00", "Z") == "2026-12-28T10:30:00Z"


def test_sev7_sev_b_with_the_24x7_option_runs_a_continuous_clock():
    opened = datetime(2026, 11, 27, 17, 0, tzinfo=PARIS)  # Friday evening
    business = response_target(offerings=[], product=OTHER, severity="B")
    continuous = response_target(offerings=[], product=OTHER, severity="B", option_24x7=True)
    assert due_at(opened, business, calendar_for("FR")) == datetime(2026, 11, 30, 10, 30, tzinfo=PARIS)
    assert due_at(opened, continuous, calendar_for("FR")) == datetime(2026, 11, 27, 19, 0, tzinfo=PARIS)


def test_sev7_a_24x7_target_ignores_the_calendar_and_dst():
    opened = datetime(2026, 3, 29, 1, 50, tzinfo=PARIS)  # a Sunday, ten minutes before DST
    found = response_target(offerings=[], product=AZURE, severity="1")
    assert due_at(opened, found, calendar_for("FR")) == datetime(2026, 3, 29, 3, 5, tzinfo=PARIS)


def test_sev7_response_target_duration():
    assert ResponseTarget(30, B24, UER, ("SEV-2",)).duration == timedelta(minutes=30)


# -- refusals: never a silent default -------------------------------------------------------


def test_sev2_an_unknown_offering_is_refused_naming_the_field():
    with pytest.raises(UnknownService) as caught:
        response_target(offerings=["premier-support"], product=AZURE, severity="A")
    assert caught.value.field == "offering"
    assert "premier-support" in caught.value.message


def test_sev2_catalog_services_without_a_response_target_are_ignored():
    assert target(["webcasts", "designated-engineering"], OTHER, "1") == (
        60,
        B24,
        "foundational",
        ("SEV-2", "SEV-7"),
    )
    tiny = Catalog(services={}, products={})
    with pytest.raises(UnknownService):
        response_target(offerings=["webcasts"], product=product(OTHER), severity="1", catalog=tiny)


def test_sev1_an_unknown_severity_is_refused_naming_the_field():
    for bad in ("D", "2", "", None, "Sev A"):
        with pytest.raises(InvalidInput) as caught:
            response_target(offerings=[], product=AZURE, severity=bad)
        assert caught.value.field == "severity"
    assert Severity.parse("a") is Severity.A
    assert Severity.parse(1) is Severity.SEV_1


def test_sev2_an_unknown_product_is_refused_naming_the_field():
    with pytest.raises(UnknownProduct) as caught:
        response_target(offerings=[], product="Azure Teleporter", severity="A")
    assert caught.value.field == "product"
    with pytest.raises(InvalidInput):
        response_target(offerings=[], product=42, severity="A")


def test_sev7_the_24x7_option_exists_for_sev_b_only():
    for severity in ("1", "A", "C"):
        with pytest.raises(InvalidInput) as caught:
            response_target(offerings=[], product=OTHER, severity=severity, option_24x7=True)
        assert caught.value.field == "option_24x7"
        assert "SEV-7" in caught.value.message


# -- the matrix is data ---------------------------------------------------------------------


def test_sev2_the_matrix_lists_the_offerings_of_the_table_in_order():
    assert list(response_matrix().offerings) == [
        "foundational",
        UER,
        MCS_AP,
        MCS_AP_PLUS,
        EVENTS,
        EVENTS_PLUS,
        SECURITY,
        ARR,
    ]


def test_sev2_every_offering_of_the_matrix_and_every_listed_product_is_in_the_catalogs():
    catalog = default_catalog()
    for code in response_matrix().offerings:
        catalog.service(code)
    known = {n.casefold() for p in catalog.products.values() for n in (p.name, *p.aliases)}
    for exclusions in response_matrix().exclusions.values():
        assert exclusions.names <= known, exclusions.rule


def test_sev2_a_matrix_missing_a_severity_is_refused():
    broken = """
severities: ["1", "A", "B", "C"]
exclusions: {}
offerings:
  - code: foundational
    cells: {"1": {minutes: 60, clock: 24x7}, "A": {minutes: 60, clock: 24x7}, "B": {minutes: 120, clock: business}}
"""
    with pytest.raises(ValueError, match="every severity"):
        parse_response_matrix(broken)


def test_sev2_a_matrix_whose_times_cannot_be_compared_without_a_calendar_is_refused():
    # SEV-2 compares minutes; a 24x7 time longer than a business time would need the calendar.
    broken = """
severities: ["1", "A", "B", "C"]
exclusions: {}
offerings:
  - code: foundational
    cells:
      "1": {minutes: 60, clock: 24x7}
      "A": {minutes: 60, clock: 24x7}
      "B": {minutes: 120, clock: business}
      "C": {minutes: 240, clock: business}
  - code: slow
    cells: {"1": foundational, "A": foundational, "B": {minutes: 180, clock: 24x7}, "C": foundational}
"""
    with pytest.raises(ValueError, match="24x7 time exceeds"):
        parse_response_matrix(broken)


def test_sev2_sev7_a_response_counts_until_the_business_time_runs_out_not_the_wall_clock():
    """SEV-2, SEV-7: a Sev B opened Friday 2026-11-27 15:30 Paris is due 17:30 (two business hours), and a
    response at 17:45 that Friday or at 08:59 on Monday comes after exactly 2:00:00 of business time."""
    france = calendar_for("FR")
    opened = datetime(2026, 11, 27, 15, 30, tzinfo=PARIS)
    due = france.add_business_time(opened, timedelta(hours=2))
    assert due == datetime(2026, 11, 27, 17, 30, tzinfo=PARIS)
    until = counts_until(due, france)
    assert until == datetime(2026, 11, 30, 9, 0, tzinfo=PARIS)
    for responded in (
        datetime(2026, 11, 27, 17, 45, tzinfo=PARIS),
        datetime(2026, 11, 30, 8, 59, tzinfo=PARIS),
    ):
        assert france.business_time_between(opened, responded) == timedelta(hours=2)
        assert responded <= until
    late = datetime(2026, 11, 30, 9, 0, 1, tzinfo=PARIS)
    assert france.business_time_between(opened, late) > timedelta(hours=2)
    assert late > until


def test_sev2_sev7_inside_business_hours_or_on_24x7_a_response_counts_until_the_due_instant():
    """SEV-2, SEV-7: only a target ending at a closing counts on to the next opening."""
    due = datetime(2026, 11, 27, 15, 0, tzinfo=PARIS)
    assert counts_until(due, calendar_for("FR")) == due
    assert counts_until(datetime(2026, 11, 27, 17, 30, tzinfo=PARIS), TWENTY_FOUR_SEVEN) == datetime(
        2026, 11, 27, 17, 30, tzinfo=PARIS
    )
