"""Booking an event and running a programme in a real headless browser (issue 13 §3), in French
and in English: the verdict explained before booking; the milestones' timeline with the late ones in
red, done with evidence, waived by the vendor; the CSAM's list of late milestones."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.interfaces.browser_support import shoot, sign_in
from tests.ledger_support import buy_events

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def january(monkeypatch):
    from unisupport import clock

    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2027, 1, 4, 9, tzinfo=dt.UTC))


def test_evt1_evt4_evt5_alice_checks_then_books_an_event_in_french_and_reads_it_in_english(
    browser, live_server, alice, january, tmp_path: Path
):
    buy_events(quantity=1)
    page = browser.new_page(locale="fr-FR")
    sign_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/events/new/")
    assert page.locator("h1").inner_text() == "Réserver un événement"
    page.fill("#id_name", "Soldes de printemps")
    page.fill("#id_days", "2027-03-01..2027-03-21")  # 21 days: too many for MCS for Azure Events
    page.fill("#id_products", "Azure Virtual Machines\nMicrosoft 365")
    page.click("button[name=check]")
    refusal = page.locator(".verdict").inner_text()
    assert "EVT-1" in refusal
    assert "EVT-5" in refusal
    page.fill("#id_days", "2027-03-01..2027-03-05")
    page.fill("#id_products", "Azure Virtual Machines")
    page.click("button[name=check]")
    assert "5" in page.locator(".verdict").inner_text()
    shoot(page, "event-check-fr.png", tmp_path)
    page.click("button[name=book]")
    page.wait_for_url("**/events/*/")
    assert "Soldes de printemps" in page.locator("h1").inner_text()
    assert page.locator(".event-calendar td.covered").count() == 5
    english = browser.new_page(locale="en-GB")
    sign_in(english, live_server.url, "alice")
    english.goto(page.url)
    assert english.locator(".event-calendar caption").inner_text() == "March 2027"
    assert [c.inner_text() for c in english.locator(".event-calendar td.covered").all()] == [
        "1",
        "2",
        "3",
        "4",
        "5",
    ]
    assert "The summary is final after the last covered day." in english.content()
    shoot(english, "event-en.png", tmp_path)


def test_mcs2_bob_and_alice_run_the_programme_late_milestones_in_red(
    browser, live_server, alice, bob, monkeypatch, tmp_path: Path
):
    from unisupport import clock
    from unisupport.programmes.models import Milestone

    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 7, 20, 9, tzinfo=dt.UTC))
    page = browser.new_page(locale="en-GB")
    sign_in(page, live_server.url, "bob")
    page.goto(f"{live_server.url}/programmes/late/")
    assert page.locator("h1").inner_text() == "Late milestones"
    late_row = page.locator("table.late-milestones tbody tr.milestone-late")
    assert late_row.count() == 1
    assert "Initial documentation completed with the CSAM" in late_row.inner_text()
    colour = late_row.evaluate("row => getComputedStyle(row).color")
    assert colour == "rgb(176, 0, 32)"  # red
    late_row.locator("a:has-text('ESO-2026-001')").click()
    page.wait_for_url("**/orders/ESO-2026-001/programme/")
    late = page.locator("li.milestone[data-state=late]")
    assert late.count() == 1
    shoot(page, "programme-en.png", tmp_path)
    meeting = page.locator("li.milestone[data-key=uer-quarterly-meeting-1]")
    meeting.locator("summary:has-text('Waive')").click()
    meeting.locator("input[name=reason]").fill("held with the kick-off")
    meeting.locator("button:has-text('Waive')").click()
    page.wait_for_url("**/programme/")
    assert (
        page.locator("li.milestone[data-key=uer-quarterly-meeting-1]").get_attribute("data-state") == "waived"
    )

    french = browser.new_page(locale="fr-FR")
    sign_in(french, live_server.url, "alice")
    french.goto(f"{live_server.url}/orders/ESO-2026-001/programme/")
    assert french.locator("h1").inner_text() == "Programme de l'Ordre de Services ESO-2026-001"
    docs = french.locator("li.milestone[data-key=mcs-initial-documentation]")
    assert "Documentation initiale complétée avec le CSAM" in docs.inner_text()
    assert "en retard" in docs.inner_text()
    assert french.locator("summary:has-text('Lever')").count() == 0  # only the vendor waives
    docs.locator("summary:has-text('Marquer comme fait')").click()
    docs.locator("input[name=note]").fill("dossier d'architecture envoyé")
    docs.locator("button:has-text('Enregistrer comme fait')").click()
    french.wait_for_url("**/programme/")
    assert (
        french.locator("li.milestone[data-key=mcs-initial-documentation]").get_attribute("data-state")
        == "done"
    )
    shoot(french, "programme-fr.png", tmp_path)
    assert Milestone.objects.get(key="mcs-initial-documentation").evidence == "dossier d'architecture envoyé"


def test_the_new_pages_fit_a_375_pixel_phone(browser, live_server, alice, bob):
    pages = {
        "alice": ["/orders/ESO-2026-001/programme/", "/orders/ESO-2026-001/contacts/", "/team/", "/preferences/",
                  "/agreements/CONTOSO-UNIFIED/plan/", "/orders/ESO-2026-001/review/2026-11/", "/webhooks/"],
        "bob": ["/programmes/late/", "/portfolio/"],
    }  # fmt: skip
    for user, urls in pages.items():
        page = browser.new_page(viewport={"width": 375, "height": 800}, locale="fr-FR")
        sign_in(page, live_server.url, user)
        page.wait_for_load_state()
        for url in urls:
            assert page.goto(f"{live_server.url}{url}").status == 200, url
            assert page.evaluate("document.documentElement.scrollWidth") <= 375, url
