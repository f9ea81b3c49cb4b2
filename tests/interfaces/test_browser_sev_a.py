"""A Sev A reaches a person (INC-2, INC-4, RSP-6): dave opens one from his phone in French, with his
callback number; the draft he typed survives his session expiring; erin, the engineer, sees the
number and who is on call."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import _person
from tests.interfaces.browser_support import shoot, sign_in
from unisupport.incidents.models import Incident, RosterEntry, RosterRole

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_rsp6_dave_opens_a_sev_a_on_a_phone_in_french_and_erin_sees_his_callback_number(
    browser, live_server, demo_orders, tmp_path: Path
):
    _person("dave", "reactive-contact", "Contoso SA")
    _person("charlie", "customer-admin", "Fabrikam Inc.")
    erin = _person("erin", "support-engineer", None)
    RosterEntry.objects.create(role=RosterRole.SENIOR_INCIDENT_MANAGER, user=erin, priority=1)

    phone = browser.new_context(viewport={"width": 375, "height": 740}, locale="fr-FR", is_mobile=True)
    phone.add_cookies([{"name": "django_language", "value": "fr", "url": live_server.url}])
    page = phone.new_page()
    sign_in(page, live_server.url, "dave")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/incidents/new/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # Severity first, in the customer's words (Annexe A).
    first_field = page.locator("form.open-form fieldset, form.open-form .field").first
    assert "Gravité" in first_field.inner_text()
    page.check("#sev-a")
    page.fill("#id_product", "Exchange Online")
    page.fill("#id_title", "Messagerie indisponible à Lyon")
    page.fill("#id_callback_phone", "+33 6 12 34 56 78")

    # The session expires while he types: the POST sends him to sign in, and the form comes back filled.
    kept = [c for c in phone.cookies() if c["name"] != "sessionid"]  # the CSRF cookie outlives a session
    phone.clear_cookies()
    phone.add_cookies(kept)
    page.click("button[type=submit].primary")
    page.wait_for_url("**/login/**")
    page.fill("#id_username", "dave")
    page.fill("#id_password", "correct horse battery staple")
    page.click("button[type=submit].primary")
    page.wait_for_url("**/incidents/new/")
    assert page.locator("#draft-restored").is_visible()
    assert page.input_value("#id_title") == "Messagerie indisponible à Lyon"
    assert page.input_value("#id_callback_phone") == "+33 6 12 34 56 78"
    assert page.is_checked("#sev-a")
    page.fill("#id_callback_email", "dave@contoso.example")
    shoot(page, "sev-a-phone-fr.png", tmp_path)
    page.click("button[type=submit].primary")
    page.wait_for_url("**/incidents/*/")
    assert page.evaluate("localStorage.getItem('unisupport:incident-draft')") is None  # opened: draft gone
    incident = Incident.objects.get()
    assert (incident.severity, incident.callback_phone) == ("A", "+33 6 12 34 56 78")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # He attaches the transport log; charlie, of another customer, gets 404 on it.
    page.set_input_files("#attach-file", files=[{"name": "transport.log", "mimeType": "text/plain",
                                                 "buffer": b"10:02 451 4.4.0 DNS query failed\n"}])  # fmt: skip
    page.click("form.attach-form button[type=submit]")
    page.wait_for_url(f"**/incidents/{incident.pk}/**")
    assert page.locator("ul.files a", has_text="transport.log").count() == 1
    other = browser.new_page()
    sign_in(other, live_server.url, "charlie")
    other.wait_for_load_state()
    refused = other.goto(f"{live_server.url}/incidents/{incident.pk}/files/1/")
    assert refused is not None
    assert refused.status == 404

    desk = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
    sign_in(desk, live_server.url, "erin")
    desk.wait_for_load_state()
    desk.goto(f"{live_server.url}/incidents/{incident.pk}/")
    callback = desk.locator("dd.callback")
    assert "+33 6 12 34 56 78" in callback.inner_text()
    assert callback.locator("a[href='tel:+33612345678']").count() == 1
    escalation = desk.locator("#escalation-h + ul").inner_text()
    assert "Senior Incident Manager: Erin" in escalation or "Senior Incident Manager: erin" in escalation
