"""Accessibility in a real browser: axe-core (from the npm registry, `tests/a11y/`) finds no serious
or critical violation on any page type, in French at phone width and in English at desktop width,
and no page is wider than a 375-pixel phone. The keyboard path: the skip link comes first, and a
rule badge inside a form is not a Tab stop."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import _person, need
from tests.incident_support import contoso_incident
from tests.interfaces.browser_support import sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

AXE = Path(__file__).resolve().parent.parent / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
# The WCAG 2.1 A and AA rules and axe's best practices; what fails the test is a serious or critical one.
AXE_RUN = """async () => {
  const result = await axe.run(document, {runOnly: {type: "tag",
    values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}});
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")}`);
}"""

# One page of each type, as the person who uses it ({incident} is filled in).
PAGES = {
    None: ["/login/", "/rules/", "/catalog/", "/password-reset/"],
    "alice": [
        "/", "/agreements/CONTOSO-UNIFIED/", "/orders/ESO-2026-001/", "/incidents/", "/incidents/new/",
        "/incidents/{incident}/", "/incidents/sla/", "/consumption/", "/orders/ESO-2026-001/consumption/",
        "/deliveries/", "/deliveries/new/", "/events/", "/events/new/", "/orders/ESO-2026-001/programme/",
        "/orders/ESO-2026-001/contacts/", "/preferences/", "/team/", "/agreements/CONTOSO-UNIFIED/plan/",
        "/orders/ESO-2026-001/review/2026-11/", "/webhooks/", "/orders/ESO-2026-001/calendars/", "/profile/",
    ],
    "bob": [
        "/", "/portfolio/", "/programmes/late/", "/incidents/", "/incidents/{incident}/",
        "/deliveries/week/", "/deliveries/calendar/", "/back-office/", "/back-office/import/",
        "/back-office/lines/", "/back-office/agreements/CONTOSO-UNIFIED/csam/",
    ],
    "olivia": ["/back-office/rosters/", "/back-office/closures/", "/back-office/people/"],
}  # fmt: skip


def _scan(browser, base: str, *, who: str | None, urls: list[str], language: str, width: int) -> list[str]:
    # bypass_csp: axe-core is injected by the test as an inline script, which the portal's policy
    # (script-src 'self') rightly refuses to any other page.
    page = browser.new_page(viewport={"width": width, "height": 800}, locale=language, bypass_csp=True)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    if who:
        sign_in(page, base, who)
        page.wait_for_load_state()
    found = []
    for url in urls:
        response = page.goto(f"{base}{url}")
        assert response is not None
        assert response.status == 200, url
        page.add_script_tag(path=str(AXE))
        found += [f"{who} {language} {width}px {url}: {v}" for v in page.evaluate(AXE_RUN)]
        if page.evaluate("document.documentElement.scrollWidth") > width:
            found.append(f"{who} {language} {width}px {url}: the page is wider than the screen")
    page.close()
    return found


def test_axe_finds_no_serious_violation_on_any_page_type(browser, live_server, alice, bob):
    need(AXE.exists(), "axe-core (make test installs it: npm ci in tests/a11y)")
    _person("olivia", "back-office", None)
    incident = contoso_incident()
    found = []
    for who, urls in PAGES.items():
        filled = [url.format(incident=incident.pk) for url in urls]
        found += _scan(browser, live_server.url, who=who, urls=filled, language="fr", width=375)
        found += _scan(browser, live_server.url, who=who, urls=filled, language="en", width=1280)
    assert found == [], "\n".join(found)


def test_the_skip_link_comes_first_and_rule_badges_are_not_tab_stops_in_a_form(browser, live_server, alice):
    page = browser.new_page(viewport={"width": 375, "height": 800})
    sign_in(page, live_server.url, "alice")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/incidents/new/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    badges = page.locator("form a.rule-link")
    assert badges.count() > 0  # the form cites its rules, off the Tab path
    tab_indexes = {badges.nth(i).get_attribute("tabindex") for i in range(badges.count())}
    assert tab_indexes == {"-1"}
