"""`unisupport sla due` and `unisupport calendar …`: the JSON contracts of issue 3, exit codes included.

Hand-checked cases: Paris across Christmas and a weekend, New York across both DST changes,
Tokyo across Golden Week, and the demo orders' sites with their own calendars.
"""

from __future__ import annotations

import pytest

from tests.interfaces.clirunner import unisupport

pytestmark = pytest.mark.django_db

AZURE_VM = "Azure Virtual Machines"
CHRISTMAS = (
    "--opened",
    "2026-12-24T16:00:00+01:00",
    "--country",
    "FR",
    "--severity",
    "C",
    "--product",
    AZURE_VM,
)


def sla_due(*args: str):
    return unisupport("sla", "due", *args, "--json")


# -- the calculator form ---------------------------------------------------------------------


def test_sev2_sev7_the_issue_example_across_christmas(catalog_db):
    """Thursday 24 December 16:00 Paris: 90 minutes that day, the 25th (holiday) and the weekend
    closed, then 150 minutes on Monday 28th from 09:00: 11:30 Paris, 10:30 UTC."""
    run = sla_due(*CHRISTMAS)
    assert run.exit_code == 0, run.stderr
    assert run.json() == {
        "due": "2026-12-28T10:30:00Z",
        "counts_until": "2026-12-28T10:30:00Z",
        "target_minutes": 240,
        "clock": "business",
        "offering": "foundational",
        "rules": ["SEV-2", "SEV-7"],
    }


def test_sev7_the_explicit_time_zone_is_the_default_one(catalog_db):
    assert sla_due(*CHRISTMAS, "--tz", "Europe/Paris").json()["due"] == "2026-12-28T10:30:00Z"
    # A French site kept on Tokyo time: opened at midnight on the 25th there, a French holiday, so
    # Monday 28th 09:00–13:00 Tokyo.
    assert sla_due(*CHRISTMAS, "--tz", "Asia/Tokyo").json()["due"] == "2026-12-28T04:00:00Z"


def test_sev7_sev_b_with_the_24x7_option_runs_continuously(catalog_db):
    args = (
        "--opened",
        "2026-12-24T17:00:00+01:00",
        "--country",
        "FR",
        "--severity",
        "B",
        "--product",
        AZURE_VM,
    )
    business = sla_due(*args).json()
    assert (business["clock"], business["due"]) == ("business", "2026-12-28T09:30:00Z")  # 30 min Thu + 90 Mon
    continuous = sla_due(*args, "--24x7").json()
    assert continuous == {
        "due": "2026-12-24T18:00:00Z",
        "counts_until": "2026-12-24T18:00:00Z",
        "target_minutes": 120,
        "clock": "24x7",
        "offering": "foundational",
        "rules": ["SEV-2", "SEV-7"],
    }


def test_evt1_naming_the_events_offering_opens_its_coverage_window(catalog_db):
    run = sla_due(
        "--opened",
        "2026-12-24T16:00:00Z",
        "--country",
        "FR",
        "--severity",
        "1",
        "--product",
        AZURE_VM,
        "--offering",
        "mcs-azure-events",
    )
    assert run.json() == {
        "due": "2026-12-24T16:15:00Z",
        "counts_until": "2026-12-24T16:15:00Z",
        "target_minutes": 15,
        "clock": "24x7",
        "offering": "mcs-azure-events",
        "rules": ["SEV-2", "SEV-7", "EVT-1"],
    }


def test_the_readable_form_names_the_rules(catalog_db):
    run = unisupport("sla", "due", *CHRISTMAS)
    assert run.exit_code == 0
    assert "2026-12-28T10:30:00Z" in run.stdout
    assert "SEV-2, SEV-7" in run.stdout


@pytest.mark.parametrize(
    ("change", "names"),
    [
        ({"--opened": "2026-12-24T16:00:00"}, "--opened"),  # naive: no offset
        ({"--opened": "2026-12-24"}, "--opened"),
        ({"--opened": "Christmas Eve"}, "--opened"),
        ({"--country": "XX"}, "country"),
        ({"--tz": "Europe/Atlantis"}, "time zone"),
        ({"--severity": "D"}, "severity"),
        ({"--product": "Azure Teleporter"}, "product"),
        ({"--offering": "premier-support"}, "premier-support"),
        ({"--24x7": None}, "24x7"),  # SEV-7: the 24x7 option is for Sev B only
        ({"--site": "FR"}, "--site"),
    ],
)
def test_unknown_or_unreadable_input_exits_2_with_a_message(catalog_db, change, names):
    args = dict(zip(CHRISTMAS[::2], CHRISTMAS[1::2], strict=True)) | change
    argv = [x for flag, value in args.items() for x in (flag, value) if x is not None]
    run = sla_due(*argv)
    assert run.exit_code == 2, (argv, run.stdout)
    assert names in run.stderr
    assert run.stdout == ""


def test_neither_form_exits_2(catalog_db):
    run = sla_due("--opened", "2026-12-24T16:00:00Z", "--severity", "C", "--product", AZURE_VM)
    assert run.exit_code == 2
    assert "--country" in run.stderr


# -- the order form (the demo agreements) ------------------------------------------------------


def order_due(order: str, site: str, opened: str, severity: str, product: str = AZURE_VM, *more: str):
    return sla_due(
        "--order",
        order,
        "--site",
        site,
        "--opened",
        opened,
        "--severity",
        severity,
        "--product",
        product,
        *more,
    )


def test_sev2_the_order_form_takes_the_offerings_of_the_order(demo_orders):
    """ESO-2026-001 holds foundational, UER and MCS for Azure Platform Plus: Sev 1 Azure is 15 min,
    and the enhanced offering is named at equal times (UER comes first in the table)."""
    run = order_due("ESO-2026-001", "FR", "2026-12-24T16:00:00+01:00", "1")
    assert run.exit_code == 0, run.stderr
    assert run.json() == {
        "due": "2026-12-24T15:15:00Z",
        "counts_until": "2026-12-24T15:15:00Z",
        "target_minutes": 15,
        "clock": "24x7",
        "offering": "unified-enhanced-response",
        "rules": ["SEV-2", "SEV-7"],
    }
    # Sev C falls back on foundational, in the business hours of the Paris site.
    assert order_due("ESO-2026-001", "FR", "2026-12-24T16:00:00+01:00", "C").json() == {
        "due": "2026-12-28T10:30:00Z",
        "counts_until": "2026-12-28T10:30:00Z",
        "target_minutes": 240,
        "clock": "business",
        "offering": "foundational",
        "rules": ["SEV-2", "SEV-7"],
    }


def test_sev6_the_order_form_applies_the_exclusions_of_the_ordered_offerings(demo_orders):
    data = order_due("ESO-2026-001", "FR", "2026-12-24T16:00:00Z", "1", "SQL Server").json()
    assert (data["target_minutes"], data["offering"]) == (30, "unified-enhanced-response")
    assert data["rules"] == ["SEV-2", "SEV-6", "SEV-7"]


def test_sev7_each_site_runs_on_its_own_calendar(demo_orders):
    """11 November is a public holiday in France, not in Germany: the FR and DE sites of
    ESO-2026-001 answer a Sev C opened on Tuesday 10th at 17:00 a day apart."""
    opened = "2026-11-10T17:00:00+01:00"
    assert order_due("ESO-2026-001", "FR", opened, "C").json()["due"] == "2026-11-12T11:30:00Z"
    assert order_due("ESO-2026-001", "DE", opened, "C").json()["due"] == "2026-11-11T11:30:00Z"


def test_sev7_the_site_time_zone_comes_from_the_order(demo_orders):
    """Fabrikam's US site is in America/Chicago (its order says so), not the US default New York."""
    run = order_due("ESO-2026-101", "US", "2026-03-02T23:00:00Z", "C")
    assert run.json()["due"] == "2026-03-03T18:30:00Z"  # 12:30 in Chicago
    calculator = sla_due(
        "--opened", "2026-03-02T23:00:00Z", "--country", "US", "--severity", "C", "--product", AZURE_VM
    )
    assert calculator.json()["due"] == "2026-03-03T18:00:00Z"  # 13:00 in New York


def test_ord8_a_line_awaiting_acceptance_serves_nothing(demo_orders):
    """Fabrikam's azure-rapid-response awaits the vendor's acceptance (ORD-8): foundational answers."""
    data = order_due("ESO-2026-101", "US", "2026-06-01T12:00:00Z", "1", "SQL Server").json()
    assert (data["target_minutes"], data["offering"]) == (60, "foundational")


def test_sev7_the_japanese_order_uses_tokyo_business_hours(demo_orders):
    """ESO-2026-002 (JP) shares the agreement's foundational and UER; Golden Week 2027: 29 April
    and 3–5 May are holidays, so Friday 30 April 17:00 + 240 min ends on Thursday 6 May."""
    data = order_due("ESO-2026-002", "JP", "2027-04-30T17:00:00+09:00", "C").json()
    assert data["due"] == "2027-05-06T03:30:00Z"  # 12:30 in Tokyo (30 min on Friday, 210 on Thursday)


def test_ord1_an_incident_outside_the_term_has_no_target_exit_1(demo_orders):
    run = order_due("ESO-2026-001", "FR", "2026-03-01T10:00:00Z", "C")
    assert run.exit_code == 1
    assert "ORD-1" in run.stderr


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (("ESO-2099-999", "FR"), "no order 'ESO-2099-999'"),
        (("ESO-2026-001", "JP"), "has no site in JP"),
        (("ESO-2026-001", "ZZ"), "unknown country 'ZZ'"),
    ],
)
def test_the_order_form_refuses_unknown_orders_and_sites_exit_2(demo_orders, args, names):
    run = order_due(*args, "2026-12-24T16:00:00Z", "C")
    assert run.exit_code == 2
    assert names in run.stderr


def test_the_order_form_takes_no_country_nor_offerings(demo_orders):
    run = order_due("ESO-2026-001", "FR", "2026-12-24T16:00:00Z", "C", AZURE_VM, "--country", "FR")
    assert run.exit_code == 2
    assert "--order" in run.stderr
    assert (
        order_due("ESO-2026-001", "FR", "2026-12-24T16:00:00Z", "C", AZURE_VM, "--offering", "x").exit_code
        == 2
    )
    missing_site = sla_due(
        "--order",
        "ESO-2026-001",
        "--opened",
        "2026-12-24T16:00:00Z",
        "--severity",
        "C",
        "--product",
        AZURE_VM,
    )
    assert missing_site.exit_code == 2
    assert "--site" in missing_site.stderr


# -- the calendar calculator -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "start", "minutes", "due"),
    [
        # SEV-7 hand-checked: Paris, Friday 17:00 + 60 → Monday 09:30 (08:30 UTC).
        ("FR", "2026-03-06T17:00:00+01:00", "60", "2026-03-09T08:30:00Z"),
        # Across Christmas.
        ("FR", "2026-12-24T16:00:00+01:00", "240", "2026-12-28T10:30:00Z"),
        # New York, across the March DST change (Sunday 8 March): Monday 09:30 EDT.
        ("US", "2026-03-06T17:00:00-05:00", "60", "2026-03-09T13:30:00Z"),
        # … and across the November one (Sunday 1 November): Monday 09:30 EST.
        ("US", "2026-10-30T17:00:00-04:00", "60", "2026-11-02T14:30:00Z"),
        # Tokyo across Golden Week 2026: 3–6 May closed (6th: substitute holiday) → Thursday 7th.
        ("JP", "2026-05-01T17:00:00+09:00", "60", "2026-05-07T00:30:00Z"),
        # … and across Showa Day (Wednesday 29 April).
        ("JP", "2026-04-28T17:00:00+09:00", "60", "2026-04-30T00:30:00Z"),
        # A target reached exactly at closing time is due at closing time (SEV-7: the earliest instant).
        ("FR", "2026-03-06T09:00:00+01:00", "510", "2026-03-06T16:30:00Z"),
        # Fractions of a minute, to the second.
        ("FR", "2026-03-06T09:00:00+01:00", "0.5", "2026-03-06T08:00:30Z"),
        # India (Asia/Kolkata, +05:30).
        ("IN", "2026-03-06T09:00:00+05:30", "60", "2026-03-06T04:30:00Z"),
    ],
)
def test_sev7_calendar_add_hand_checked(catalog_db, country, start, minutes, due):
    run = unisupport("calendar", "add", "--country", country, "--from", start, "--minutes", minutes, "--json")
    assert run.exit_code == 0, run.stderr
    assert run.json() == {"due": due}


def test_sev7_calendar_between_is_fractional_business_minutes(catalog_db):
    run = unisupport(
        "calendar",
        "between",
        "--country",
        "FR",
        "--from",
        "2026-12-24T16:00:00+01:00",
        "--to",
        "2026-12-28T10:30:00Z",
        "--json",
    )
    assert run.json() == {"minutes": 240}
    half = unisupport(
        "calendar",
        "between",
        "--country",
        "FR",
        "--from",
        "2026-03-06T08:00:00Z",
        "--to",
        "2026-03-06T08:00:30Z",
        "--json",
    )
    assert half.json() == {"minutes": 0.5}
    night = unisupport(
        "calendar",
        "between",
        "--country",
        "FR",
        "--from",
        "2026-03-06T20:00:00Z",
        "--to",
        "2026-03-09T07:00:00Z",
        "--json",
    )
    assert night.json() == {"minutes": 0}


def test_calendar_refuses_naive_instants_exit_2(catalog_db):
    run = unisupport(
        "calendar", "add", "--country", "FR", "--from", "2026-03-06T09:00:00", "--minutes", "60", "--json"
    )
    assert run.exit_code == 2
    assert "--from" in run.stderr
    run = unisupport(
        "calendar",
        "between",
        "--country",
        "FR",
        "--from",
        "2026-03-06T09:00:00Z",
        "--to",
        "2026-03-06T10:00",
        "--json",
    )
    assert run.exit_code == 2
    assert "--to" in run.stderr
    for bad in ("nan", "ten", "1e12"):
        run = unisupport(
            "calendar", "add", "--country", "FR", "--from", "2026-03-06T09:00:00Z", "--minutes", bad
        )
        assert run.exit_code == 2, bad
        assert "minutes" in run.stderr


def test_sev7_calendar_show_lists_holidays_and_closures(catalog_db):
    run = unisupport("calendar", "show", "FR", "--year", "2027", "--json")
    assert run.exit_code == 0, run.stderr
    data = run.json()
    assert (data["country"], data["timezone"], data["opening"], data["closing"]) == (
        "FR",
        "Europe/Paris",
        "09:00",
        "17:30",
    )
    assert {"date": "2027-12-25", "name": "Christmas Day", "kind": "holiday"} in data["days_off"]
    assert {"date": "2027-07-14", "name": "National Day", "kind": "holiday"} in data["days_off"]
    assert all(d["date"].startswith("2027-") for d in data["days_off"])
    readable = unisupport("calendar", "show", "FR", "--year", "2027")
    assert "2027-12-25" in readable.stdout
    assert unisupport("calendar", "show", "XX").exit_code == 2


def test_sev7_closures_added_on_the_command_line_apply_at_once(catalog_db):
    add = unisupport(
        "calendar",
        "add-closure",
        "--country",
        "FR",
        "--from",
        "2026-12-28",
        "--to",
        "2026-12-31",
        "--reason",
        "Year-end",
        "--json",
    )
    assert add.exit_code == 0, add.stderr
    closure = add.json()
    assert {k: closure[k] for k in ("country", "from", "to", "reason")} == {
        "country": "FR",
        "from": "2026-12-28",
        "to": "2026-12-31",
        "reason": "Year-end",
    }
    assert sla_due(*CHRISTMAS).json()["due"] == "2027-01-04T10:30:00Z"  # 1 January is a holiday too
    shown = unisupport("calendar", "show", "FR", "--year", "2026", "--json").json()
    assert {"date": "2026-12-29", "name": "Year-end", "kind": "closure"} in shown["days_off"]
    listed = unisupport("calendar", "list-closures", "--country", "FR", "--json").json()
    assert [c["id"] for c in listed] == [closure["id"]]
    removed = unisupport("calendar", "remove-closure", str(closure["id"]))
    assert removed.exit_code == 0
    assert sla_due(*CHRISTMAS).json()["due"] == "2026-12-28T10:30:00Z"
    assert unisupport("calendar", "remove-closure", str(closure["id"])).exit_code == 2


def test_sev7_extra_working_days_on_the_command_line(catalog_db):
    add = unisupport(
        "calendar",
        "add-working-day",
        "--country",
        "FR",
        "--date",
        "2026-12-26",
        "--reason",
        "Go-live",
        "--json",
    )
    assert add.exit_code == 0, add.stderr
    assert sla_due(*CHRISTMAS).json()["due"] == "2026-12-26T10:30:00Z"  # Saturday 26th worked
    listed = unisupport("calendar", "list-working-days", "--json").json()
    assert [(d["country"], d["date"]) for d in listed] == [("FR", "2026-12-26")]
    assert unisupport("calendar", "remove-working-day", str(add.json()["id"])).exit_code == 0
    assert sla_due(*CHRISTMAS).json()["due"] == "2026-12-28T10:30:00Z"


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (("--country", "XX", "--from", "2026-12-28", "--reason", "x"), "country"),
        (("--country", "FR", "--from", "2026-12-28", "--to", "2026-12-01", "--reason", "x"), "to"),
        (("--country", "FR", "--from", "28/12/2026", "--reason", "x"), "--from"),
        (("--country", "DE", "--subdivision", "QQ", "--from", "2026-12-28", "--reason", "x"), "subdivision"),
    ],
)
def test_add_closure_refuses_bad_input_exit_2(catalog_db, args, names):
    run = unisupport("calendar", "add-closure", *args)
    assert run.exit_code == 2
    assert names in run.stderr


JAPAN_ONLY = """\
agreement: NIPPON-UNIFIED
order: ESO-2026-JP1
customer: Nippon KK
host: JP
start: 2026-01-01
end: 2026-12-31
currency: JPY
sites:
  - country: JP
    lines:
      - {service: foundational, list_price: 50000000}
"""


def test_ord1_the_term_is_compared_on_the_sites_own_date(catalog_db, tmp_path):
    """ORD-1: 2026-01-01 08:00 in Tokyo is still 2025-12-31 in UTC, yet the JP site's order has begun."""
    path = tmp_path / "jp.yaml"
    path.write_text(JAPAN_ONLY)
    assert unisupport("order", "import", str(path)).exit_code == 0
    run = order_due("ESO-2026-JP1", "JP", "2026-01-01T08:00:00+09:00", "C")
    assert run.exit_code == 0, run.stderr
    assert run.json()["offering"] == "foundational"
    # The last day of the term, late in the evening in Tokyo (already 2027 nowhere, 2026-12-31 at the site).
    assert order_due("ESO-2026-JP1", "JP", "2026-12-31T23:30:00+09:00", "C").exit_code == 0
    after = order_due("ESO-2026-JP1", "JP", "2027-01-01T00:30:00+09:00", "C")  # 2026-12-31 in UTC
    assert after.exit_code == 1
    assert "ORD-1" in after.stderr
    assert "2027-01-01" in after.stderr


# -- hours of their own, closures of hours, the next opening (Annexe A note 5, SEV-7) --------


def test_sev7_a_closure_of_hours_on_the_command_line(catalog_db):
    """24 December 09:00–12:00 closed: open only 12:00–17:30 that day."""
    add = unisupport(
        "calendar",
        "add-closure",
        "--country",
        "FR",
        "--from",
        "2026-12-24",
        "--to",
        "2026-12-24",
        "--hours",
        "09:00-12:00",
        "--reason",
        "Christmas Eve",
        "--json",
    )
    assert add.exit_code == 0, add.stderr
    assert (add.json()["hours"], add.json()["from"], add.json()["to"]) == (
        "09:00-12:00",
        "2026-12-24",
        "2026-12-24",
    )
    wednesday = ("--country", "FR", "--from", "2026-12-23T17:00:00+01:00", "--minutes", "60", "--json")
    assert unisupport("calendar", "add", *wednesday).json() == {"due": "2026-12-24T11:30:00Z"}
    shown = unisupport("calendar", "show", "FR", "--year", "2026", "--json").json()
    assert {"date": "2026-12-24", "name": "Christmas Eve (09:00–12:00)", "kind": "closure"} in shown[
        "days_off"
    ]
    listed = unisupport("calendar", "list-closures", "--country", "FR")
    assert "2026-12-24 → 2026-12-24  09:00-12:00  Christmas Eve" in listed.stdout
    whole = unisupport(
        "calendar", "add-closure", "--country", "FR", "--from", "2026-12-31", "--reason", "Eve", "--json"
    )
    assert whole.json()["hours"] is None


@pytest.mark.parametrize(
    ("hours", "names"),
    [("9-12", "hours"), ("12:00-09:00", "hours"), ("09:00-25:00", "hours"), ("nine", "hours")],
)
def test_add_closure_refuses_unreadable_hours_exit_2(catalog_db, hours, names):
    run = unisupport(
        "calendar",
        "add-closure",
        "--country",
        "FR",
        "--from",
        "2026-12-24",
        "--hours",
        hours,
        "--reason",
        "x",
    )
    assert run.exit_code == 2
    assert names in run.stderr
    assert unisupport("calendar", "list-closures", "--json").json() == []


def test_annexe_a_note_5_set_hours_of_friday_on_the_command_line(catalog_db):
    run = unisupport(
        "calendar", "set-hours", "--country", "FR", "--weekday", "fri", "--hours", "09:00-16:00", "--json"
    )
    assert run.exit_code == 0, run.stderr
    data = run.json()
    assert data["hours"][4] == {"weekday": 4, "opening": "09:00", "closing": "16:00"}
    assert (data["opening"], data["closing"], data["weekdays"]) == ("09:00", "17:30", [0, 1, 2, 3, 4])
    friday = ("--country", "FR", "--from", "2026-11-27T15:30:00+01:00", "--minutes", "120", "--json")
    assert unisupport("calendar", "add", *friday).json() == {"due": "2026-11-30T09:30:00Z"}  # Mon 10:30 Paris
    shown = unisupport("calendar", "show", "FR", "--year", "2026")
    assert "09:00–17:30 Europe/Paris, Mon, Tue, Wed, Thu, Fri (Fri 09:00–16:00)" in shown.stdout
    text = unisupport(
        "calendar", "set-hours", "--country", "FR", "--weekday", "sat", "--hours", "10:00-13:00"
    )
    assert "FR Sat  10:00–13:00" in text.stdout
    closed = unisupport(
        "calendar", "set-hours", "--country", "FR", "--weekday", "saturday", "--hours", "closed", "--json"
    )
    assert closed.json()["weekdays"] == [0, 1, 2, 3, 4]


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (("--country", "FR", "--weekday", "fry", "--hours", "09:00-16:00"), "weekday"),
        (("--country", "FR", "--weekday", "fri", "--hours", "16:00-09:00"), "hours"),
        (("--country", "FR", "--hours", "closed"), "hours"),
        (("--country", "XX", "--weekday", "fri", "--hours", "09:00-16:00"), "country"),
    ],
)
def test_set_hours_refuses_bad_input_exit_2(catalog_db, args, names):
    run = unisupport("calendar", "set-hours", *args)
    assert run.exit_code == 2
    assert names in run.stderr


def test_sev7_next_opening_on_the_command_line(catalog_db):
    unisupport("calendar", "set-hours", "--country", "FR", "--weekday", "fri", "--hours", "09:00-16:00")
    friday = unisupport(
        "calendar", "next-opening", "--country", "FR", "--at", "2026-11-27T16:00:00+01:00", "--json"
    )
    assert friday.exit_code == 0, friday.stderr
    assert friday.json() == {
        "country": "FR",
        "subdivision": None,
        "timezone": "Europe/Paris",
        "at": "2026-11-27T15:00:00Z",
        "open_now": False,
        "next_opening": "2026-11-30T08:00:00Z",
        "closes": "2026-11-30T16:30:00Z",
    }
    now = unisupport("calendar", "next-opening", "--country", "FR", "--at", "2026-11-27T10:00:00+01:00")
    assert now.stdout.strip() == "Open now, until 2026-11-27 16:00:00 CET (FR, Europe/Paris)"
    later = unisupport("calendar", "next-opening", "--country", "JP", "--at", "2026-05-02T10:00:00+09:00")
    assert (
        later.stdout.strip()
        == "Opens 2026-05-07 09:00:00 JST, until 2026-05-07 17:30:00 JST (JP, Asia/Tokyo)"
    )


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (("--country", "FR", "--at", "2026-11-27T10:00:00"), "--at"),
        (
            (
                "--country",
                "XX",
            ),
            "country",
        ),
    ],
)
def test_next_opening_refuses_bad_input_exit_2(catalog_db, args, names):
    run = unisupport("calendar", "next-opening", *args, "--json")
    assert run.exit_code == 2
    assert names in run.stderr
    assert run.stdout == ""
