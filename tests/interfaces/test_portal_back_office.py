"""The back office in the portal: import an order file (verdict with rule IDs, then confirm), ORD-8 lines, a CSAM (MC-3)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.interfaces.portal_support import signed_in
from unisupport.accounts.models import AccessChange
from unisupport.orders.models import Agreement, LineStatus, Order, OrderLine

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _renamed(text: str, suffix: str) -> str:
    """Return an order file whose agreement and orders are new ones (so that importing it records them)."""
    return re.sub(r"^(agreement|order): (\S+)", rf"\1: \2{suffix}", text, flags=re.MULTILINE)


def _hidden(page: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', page).group(1)


def test_the_back_office_is_for_order_managers_only(alice, bob):
    assert signed_in(alice).get("/back-office/import/").status_code == 404
    assert signed_in(bob).get("/back-office/import/").status_code == 200


def test_an_invalid_file_shows_the_rules_broken_and_where_and_cannot_be_imported(bob):
    """The same verdict as `unisupport order validate`: each error names its rule and its path."""
    text = (EXAMPLES / "invalid-rules.yaml").read_text()
    page = signed_in(bob).post("/back-office/import/", {"text": text}).text
    assert "Invalid" in page
    assert re.search(r'class="rule" href="/rules/#[A-Z]+-\d+"', page)
    assert "<code>" in page
    assert "Confirm the import" not in page
    assert not Order.objects.filter(number="ESO-2026-900").exists()


def test_a_valid_upload_is_imported_only_once_confirmed_and_exactly_as_validated(bob):
    """Validating records nothing; the confirm step imports the very file validated (ORD-9 versions)."""
    text = _renamed((EXAMPLES / "contoso-unified.yaml").read_text(), "-P")
    client = signed_in(bob)
    upload = SimpleUploadedFile("order.yaml", text.encode(), content_type="application/yaml")
    page = client.post("/back-office/import/", {"file": upload}).text
    assert "Valid." in page
    assert not Order.objects.filter(number="ESO-2026-001-P").exists()
    source, digest = _hidden(page, "source"), _hidden(page, "digest")
    tampered = client.post(
        "/back-office/import/confirm/", {"source": source[:-8] + "AAAAAAAA", "digest": digest}, follow=True
    )
    assert "changed since it was validated" in tampered.text
    assert not Order.objects.filter(number="ESO-2026-001-P").exists()
    done = client.post("/back-office/import/confirm/", {"source": source, "digest": digest}, follow=True).text
    assert "Order ESO-2026-001-P imported: version 1." in done
    order = Order.objects.get(number="ESO-2026-001-P")
    assert order.versions.get().imported_by.username == "bob"
    again = client.post(
        "/back-office/import/confirm/", {"source": source, "digest": digest}, follow=True
    ).text
    assert "unchanged" in again


def test_a_file_too_large_is_refused_with_a_clear_error(bob, settings):
    big = SimpleUploadedFile("big.yaml", b"#" * (1_000_001), content_type="application/yaml")
    page = signed_in(bob).post("/back-office/import/", {"file": big}).text
    assert "The file is too large" in page
    assert (
        "Le fichier est trop volumineux"
        in signed_in(bob, "fr")
        .post("/back-office/import/", {"file": SimpleUploadedFile("b.yaml", b"#" * 1_000_001)})
        .text
    )


def _pending() -> OrderLine:
    line = OrderLine.objects.filter(service_id="azure-rapid-response").first()
    OrderLine.objects.filter(pk=line.pk).update(status=LineStatus.PENDING_ACCEPTANCE)
    return line


def test_a_line_awaiting_acceptance_is_accepted_once_confirmed_ord_8(bob):
    """ORD-8: the vendor accepts or refuses a line subject to resource availability; unconfirmed, nothing."""
    line = _pending()
    client = signed_in(bob)
    page = client.get("/back-office/lines/").text
    assert f'id="line-{line.pk}"' in page
    unconfirmed = client.post(f"/back-office/lines/{line.pk}/", {"decision": "accept"}, follow=True).text
    assert "Tick the confirmation" in unconfirmed
    line.refresh_from_db()
    assert line.status == LineStatus.PENDING_ACCEPTANCE
    client.post(f"/back-office/lines/{line.pk}/", {"decision": "accept", "confirm": "on"})
    line.refresh_from_db()
    assert line.status == LineStatus.ACCEPTED
    assert f'id="line-{line.pk}"' not in client.get("/back-office/lines/").text


def test_a_line_is_refused_ord_8(bob):
    line = _pending()
    signed_in(bob).post(f"/back-office/lines/{line.pk}/", {"decision": "refuse", "confirm": "on"})
    line.refresh_from_db()
    assert line.status == LineStatus.REFUSED


def test_the_lines_page_reads_a_bounded_number_of_queries_ord_8(bob, django_assert_max_num_queries):
    client = signed_in(bob)
    _pending()
    client.get("/back-office/lines/")
    with django_assert_max_num_queries(15) as few:
        client.get("/back-office/lines/")
    OrderLine.objects.update(status=LineStatus.PENDING_ACCEPTANCE)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/back-office/lines/")


def test_assigning_an_agreements_csam_is_recorded_mc_3(bob):
    """MC-3: the host's CSAM; only a vendor person with the CSAM role; the change is an access change."""
    client = signed_in(bob)
    assert "bob" in client.get("/back-office/agreements/CONTOSO-UNIFIED/csam/").text
    client.post("/back-office/agreements/CONTOSO-UNIFIED/csam/", {"csam": bob.pk})
    agreement = Agreement.objects.get(code="CONTOSO-UNIFIED")
    assert agreement.csam == bob
    assert AccessChange.objects.filter(organisation=agreement.organisation, what__contains="CSAM").exists()
    assert "My customers" in client.get("/").text


def test_a_customer_cannot_be_made_csam_mc_3(bob, alice):
    client = signed_in(bob)
    client.post("/back-office/agreements/CONTOSO-UNIFIED/csam/", {"csam": alice.pk})
    assert Agreement.objects.get(code="CONTOSO-UNIFIED").csam is None


def test_the_rosters_page_adds_reorders_and_deactivates_inc_4(bob, django_assert_max_num_queries):
    """INC-4: the back office keeps the Senior Incident Manager roster; a CSAM does not reach it."""
    from tests.conftest import _person
    from unisupport.incidents.models import RosterEntry

    olivia = _person("olivia", "back-office", None)
    erin = _person("erin", "incident-manager", None)
    assert signed_in(bob).get("/back-office/rosters/").status_code == 404
    client = signed_in(olivia)
    client.post(
        "/back-office/rosters/", {"action": "add", "role": "senior-incident-manager", "user": erin.pk}
    )
    client.post(
        "/back-office/rosters/", {"action": "add", "role": "senior-incident-manager", "user": olivia.pk}
    )
    entries = list(RosterEntry.objects.filter(role="senior-incident-manager").order_by("priority"))
    assert [e.user.username for e in entries] == ["erin", "olivia"]
    client.post("/back-office/rosters/", {"action": "up", "entry": entries[1].pk})
    client.post("/back-office/rosters/", {"action": "deactivate", "entry": entries[0].pk})
    page = client.get("/back-office/rosters/").text
    assert page.index(f'id="entry-{entries[1].pk}"') < page.index(f'id="entry-{entries[0].pk}"')
    assert "(inactive)" in page
    with django_assert_max_num_queries(10):
        client.get("/back-office/rosters/")
    client.post(
        "/back-office/rosters/",
        {
            "action": "add",
            "role": "senior-incident-manager",
            "user": erin.pk,
            "offering": "mcs-azure-platform-plus",
        },
    )
    kept = RosterEntry.objects.get(offering="mcs-azure-platform-plus")
    page = client.get("/back-office/rosters/").text
    assert 'id="roster-senior-incident-manager-mcs-azure-platform-plus"' in page
    assert page.index('id="roster-senior-incident-manager-all"') < page.index(f'id="entry-{kept.pk}"')
    refused = client.post(
        "/back-office/rosters/",
        {"action": "add", "role": "senior-incident-manager", "user": erin.pk, "offering": "workshop"},
        follow=True,
    )
    assert "does not serve incidents" in refused.text
    assert RosterEntry.objects.count() == 3
