"""The response-target and calendar API through the whole Django stack (tests/interfaces/http.py): the CLI's JSON, 422 naming the field, scoping."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from tests.interfaces.clirunner import unisupport
from tests.interfaces.http import request
from tests.scopes import OPERATOR

pytestmark = pytest.mark.django_db

AZURE_VM = "Azure Virtual Machines"
CHRISTMAS = {"opened": "2026-12-24T16:00:00+01:00", "country": "FR", "severity": "C", "product": AZURE_VM}
CHRISTMAS_DUE = {
    "due": "2026-12-28T10:30:00Z",
    "counts_until": "2026-12-28T10:30:00Z",
    "target_minutes": 240,
    "clock": "business",
    "offering": "foundational",
    "rules": ["SEV-2", "SEV-7"],
}


def get(server, path: str, token: str | None, **params):
    return request("GET", f"{server.url}/api{path}?{urlencode(params, doseq=True)}", token=token)


def post(server, path: str, token: str, body: dict):
    return request(
        "POST",
        f"{server.url}/api{path}",
        token=token,
        body=json.dumps(body).encode(),
        content_type="application/json",
    )


def test_the_endpoints_are_documented_in_openapi(api_server, tokens):
    document = request("GET", f"{api_server.url}/api/openapi.json").json()
    paths = document["paths"]
    for path in ("/api/sla/due", "/api/calendar/add", "/api/calendar/between", "/api/calendar/show"):
        assert path in paths
    assert set(paths["/api/sla/due"]) == {"get", "post"}
    names = {p["name"] for p in paths["/api/calendar/add"]["get"]["parameters"]}
    assert {"country", "from", "minutes"} <= names


def test_the_api_needs_authentication(api_server, tokens):
    assert get(api_server, "/sla/due", None, **CHRISTMAS).status == 401
    assert get(api_server, "/calendar/show", None, country="FR").status == 401


def test_sev2_sev7_the_issue_example_get_and_post(api_server, tokens):
    response = get(api_server, "/sla/due", tokens["alice"], **CHRISTMAS)
    assert response.status == 200
    assert response.json() == CHRISTMAS_DUE
    assert post(api_server, "/sla/due", tokens["charlie"], CHRISTMAS).json() == CHRISTMAS_DUE


def test_sev2_the_api_answers_as_the_cli_does(api_server, tokens):
    params = {
        "opened": "2026-12-24T16:00:00Z",
        "country": "FR",
        "severity": "1",
        "product": "SQL Server",
        "offerings": ["unified-enhanced-response", "mcs-azure-platform"],
    }
    api = get(api_server, "/sla/due", tokens["alice"], **params).json()
    cli = unisupport(
        "sla",
        "due",
        "--opened",
        params["opened"],
        "--country",
        "FR",
        "--severity",
        "1",
        "--product",
        "SQL Server",
        "--offering",
        "unified-enhanced-response",
        "--offering",
        "mcs-azure-platform",
        "--json",
    ).json()
    assert api == cli
    assert (api["target_minutes"], api["offering"], api["rules"]) == (
        30,
        "unified-enhanced-response",
        ["SEV-2", "SEV-6", "SEV-7"],
    )


def test_sev7_sev_b_24x7_and_evt1_event_window_in_the_body(api_server, tokens):
    body = CHRISTMAS | {"severity": "B", "option_24x7": True}
    assert post(api_server, "/sla/due", tokens["alice"], body).json()["due"] == "2026-12-24T17:00:00Z"
    body = CHRISTMAS | {"severity": "1", "offerings": ["mcs-azure-events-plus"]}
    answer = post(api_server, "/sla/due", tokens["alice"], body).json()
    assert (answer["offering"], answer["rules"]) == ("mcs-azure-events-plus", ["SEV-2", "SEV-7", "EVT-2"])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"opened": "2026-12-24T16:00:00"}, "opened"),  # naive
        ({"opened": "tomorrow"}, "opened"),
        ({"country": "XX"}, "country"),
        ({"timezone": "Europe/Atlantis"}, "timezone"),
        ({"severity": "D"}, "severity"),
        ({"product": "Azure Teleporter"}, "product"),
        ({"offerings": ["premier-support"]}, "offering"),
        ({"option_24x7": True}, "option_24x7"),  # SEV-7: Sev B only
        ({"site": "FR"}, "site"),
        ({"country": None}, "country"),
    ],
)
def test_bad_input_is_422_naming_the_field(api_server, tokens, change, field):
    params = {k: v for k, v in (CHRISTMAS | change).items() if v is not None}
    response = get(api_server, "/sla/due", tokens["alice"], **params)
    assert response.status == 422
    assert response.json()["field"] == field
    assert post(api_server, "/sla/due", tokens["alice"], params).json()["field"] == field


def test_a_missing_parameter_is_422_naming_it(api_server, tokens):
    response = get(api_server, "/sla/due", tokens["alice"], country="FR", severity="C", product=AZURE_VM)
    assert response.status == 422
    assert response.json()["detail"][0]["loc"][-1] == "opened"


# -- the order form: scoped to the caller's organisation ------------------------------------------


def order_form(order: str, site: str, opened: str, severity: str, product: str = AZURE_VM) -> dict[str, str]:
    return {"order": order, "site": site, "opened": opened, "severity": severity, "product": product}


def test_sev2_the_order_form_for_the_customer_own_order(api_server, tokens):
    response = get(
        api_server,
        "/sla/due",
        tokens["alice"],
        **order_form("ESO-2026-001", "FR", "2026-12-24T16:00:00+01:00", "1"),
    )
    assert response.status == 200
    assert response.json() == {
        "due": "2026-12-24T15:15:00Z",
        "counts_until": "2026-12-24T15:15:00Z",
        "target_minutes": 15,
        "clock": "24x7",
        "offering": "unified-enhanced-response",
        "rules": ["SEV-2", "SEV-7"],
    }
    # The DE site of the same order, on German holidays: 11 November is worked there.
    de = get(
        api_server,
        "/sla/due",
        tokens["bob"],
        **order_form("ESO-2026-001", "DE", "2026-11-10T17:00:00+01:00", "C"),
    )
    assert de.json()["due"] == "2026-11-11T11:30:00Z"


def test_another_organisations_order_is_404(api_server, tokens):
    params = order_form("ESO-2026-001", "FR", "2026-12-24T16:00:00+01:00", "C")
    response = get(api_server, "/sla/due", tokens["charlie"], **params)
    assert response.status == 404
    assert response.json()["field"] == "order"
    assert post(api_server, "/sla/due", tokens["charlie"], params).status == 404
    own = get(
        api_server,
        "/sla/due",
        tokens["charlie"],
        **order_form("ESO-2026-101", "US", "2026-03-02T23:00:00Z", "C"),
    )
    assert own.json()["due"] == "2026-03-03T18:30:00Z"  # Chicago, the site's zone


def test_ord1_outside_the_term_is_409_naming_the_rule(api_server, tokens):
    response = get(
        api_server,
        "/sla/due",
        tokens["alice"],
        **order_form("ESO-2026-001", "FR", "2026-03-01T10:00:00Z", "C"),
    )
    assert response.status == 409
    assert response.json()["rule"] == "ORD-1"


def test_the_order_form_refuses_a_site_not_on_the_order(api_server, tokens):
    response = get(
        api_server,
        "/sla/due",
        tokens["alice"],
        **order_form("ESO-2026-001", "JP", "2026-12-24T16:00:00Z", "C"),
    )
    assert response.status == 422
    assert response.json()["field"] == "site"
    mixed = order_form("ESO-2026-001", "FR", "2026-12-24T16:00:00Z", "C") | {"country": "FR"}
    assert get(api_server, "/sla/due", tokens["alice"], **mixed).json()["field"] == "order"


# -- the calendar ------------------------------------------------------------------------------


def test_sev7_calendar_add_and_between(api_server, tokens):
    add = get(
        api_server,
        "/calendar/add",
        tokens["alice"],
        country="US",
        **{"from": "2026-03-06T17:00:00-05:00"},
        minutes="60",
    )
    assert add.status == 200
    assert add.json() == {"due": "2026-03-09T13:30:00Z"}  # across the March DST change
    between = get(
        api_server,
        "/calendar/between",
        tokens["alice"],
        country="FR",
        **{"from": "2026-12-24T16:00:00+01:00", "to": "2026-12-28T10:30:30Z"},
    )
    assert between.json() == {"minutes": 240.5}


def test_calendar_bad_input_is_422_naming_the_field(api_server, tokens):
    naive = get(
        api_server,
        "/calendar/add",
        tokens["alice"],
        country="FR",
        minutes="60",
        **{"from": "2026-03-06T09:00"},
    )
    assert (naive.status, naive.json()["field"]) == (422, "from")
    minutes = get(
        api_server,
        "/calendar/add",
        tokens["alice"],
        country="FR",
        minutes="soon",
        **{"from": "2026-03-06T09:00Z"},
    )
    assert (minutes.status, minutes.json()["field"]) == (422, "minutes")
    to = get(
        api_server,
        "/calendar/between",
        tokens["alice"],
        country="FR",
        **{"from": "2026-03-06T09:00Z", "to": "2026-03-06T10:00"},
    )
    assert (to.status, to.json()["field"]) == (422, "to")


def test_sev7_calendar_show_lists_holidays_and_closures_in_force(api_server, tokens):
    from datetime import date

    from unisupport.calendars.services import add_closure

    add_closure(scope=OPERATOR, country="FR", start=date(2027, 5, 7), reason="Bridge day")
    response = get(api_server, "/calendar/show", tokens["alice"], country="FR", year=2027)
    assert response.status == 200
    data = response.json()
    assert (data["country"], data["timezone"], data["year"]) == ("FR", "Europe/Paris", 2027)
    assert {"date": "2027-05-07", "name": "Bridge day", "kind": "closure"} in data["days_off"]
    assert {"date": "2027-05-08", "name": "Victory Day", "kind": "holiday"} in data["days_off"]
    # The closure applies to due times at once: Thursday 6th is Ascension Day, Friday 7th closed.
    due = get(
        api_server,
        "/calendar/add",
        tokens["alice"],
        country="FR",
        minutes="60",
        **{"from": "2027-05-06T17:00:00+02:00"},
    )
    assert due.json() == {"due": "2027-05-10T08:00:00Z"}  # Monday 10:00 in Paris
    bad = get(api_server, "/calendar/show", tokens["alice"], country="FR", year=1900)
    assert bad.status == 422


def test_sev7_calendar_next_opening(api_server, tokens):
    """The next opening after Christmas Eve closed in the morning (Annexe A note 5), as the CLI prints it."""
    from datetime import date, time

    from unisupport.calendars.services import add_closure, set_hours

    add_closure(
        scope=OPERATOR,
        country="FR",
        start=date(2026, 12, 24),
        reason="Eve",
        closed_from=time(9),
        closed_until=time(12),
    )
    set_hours(scope=OPERATOR, country="FR", weekday=4, hours=(time(9), time(16)))
    eve = get(
        api_server, "/calendar/next-opening", tokens["alice"], country="FR", at="2026-12-24T08:00:00+01:00"
    )
    assert eve.status == 200
    assert eve.json() == {
        "country": "FR",
        "subdivision": None,
        "timezone": "Europe/Paris",
        "at": "2026-12-24T07:00:00Z",
        "open_now": False,
        "next_opening": "2026-12-24T11:00:00Z",
        "closes": "2026-12-24T16:30:00Z",
    }
    cli = unisupport(
        "calendar", "next-opening", "--country", "FR", "--at", "2026-12-24T08:00:00+01:00", "--json"
    )
    assert cli.json() == eve.json()
    friday = get(
        api_server, "/calendar/next-opening", tokens["alice"], country="FR", at="2026-12-18T10:00:00Z"
    )
    assert (friday.json()["open_now"], friday.json()["closes"]) == (True, "2026-12-18T15:00:00Z")
    assert get(api_server, "/calendar/next-opening", tokens["alice"], country="FR").status == 200  # at: now
    shown = get(api_server, "/calendar/show", tokens["alice"], country="FR", year=2026).json()
    assert shown["hours"][4] == {"weekday": 4, "opening": "09:00", "closing": "16:00"}
    assert {"date": "2026-12-24", "name": "Eve (09:00–12:00)", "kind": "closure"} in shown["days_off"]


def test_calendar_next_opening_bad_input_is_422_naming_the_field(api_server, tokens):
    naive = get(api_server, "/calendar/next-opening", tokens["alice"], country="FR", at="2026-12-24T08:00")
    assert (naive.status, naive.json()["field"]) == (422, "at")
    country = get(api_server, "/calendar/next-opening", tokens["alice"], country="XX", at="2026-12-24T08:00Z")
    assert (country.status, country.json()["field"]) == (422, "country")
    zone = get(
        api_server,
        "/calendar/next-opening",
        tokens["alice"],
        country="FR",
        timezone="Mars/Olympus",
        at="2026-12-24T08:00Z",
    )
    assert (zone.status, zone.json()["field"]) == (422, "timezone")
    missing = get(api_server, "/calendar/next-opening", tokens["alice"], at="2026-12-24T08:00Z")
    assert missing.status == 422
    assert "country" in json.dumps(missing.json())
    assert get(api_server, "/calendar/next-opening", None, country="FR").status == 401


def test_the_next_opening_is_documented_in_openapi(api_server, tokens):
    paths = request("GET", f"{api_server.url}/api/openapi.json").json()["paths"]
    names = {p["name"] for p in paths["/api/calendar/next-opening"]["get"]["parameters"]}
    assert {"country", "at", "timezone", "subdivision"} <= names
    assert set(paths["/api/calendar/next-opening"]["get"]["responses"]) >= {"200", "422"}
