"""The monthly service review (issue 14 §4): the PDF read back as text (order, month, attainment),
the HTML, the portal's page and PDF, scoped; RSP-1 and RSP-3 findings in it."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
import pytest

from tests.interfaces.clirunner import unisupport
from tests.scopes import OPERATOR

pytestmark = pytest.mark.django_db


@pytest.fixture
def december(demo_orders):
    """Three Sev B incidents on Contoso's order in December 2026: two met their target, one did not."""
    from unisupport.domain.incident_commands import OpenIncident
    from unisupport.incidents.models import Incident
    from unisupport.incidents.services import open_incident

    for n, met in enumerate((True, True, False)):
        opened = open_incident(
            scope=OPERATOR,
            command=OpenIncident.parse(
                order_number="ESO-2026-001", site_country="FR", severity="B", product="Exchange Online",
                channel="web", title=f"Mail delayed {n}",
            ),
            at=dt.datetime(2026, 12, 7 + n, 9, tzinfo=dt.UTC),
        )  # fmt: skip
        Incident.objects.filter(pk=opened.pk).update(response_met=met)


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_the_pdf_names_the_order_the_month_and_the_attainment(december, tmp_path):
    out = tmp_path / "review.pdf"
    made = unisupport(
        "report", "monthly", "--order", "ESO-2026-001", "--month", "2026-12", "--output", str(out)
    )
    assert made.exit_code == 0, made.stderr
    text = text_of(out.read_bytes())
    assert "ESO-2026-001" in text
    assert "2026-12" in text
    assert "66.7" in text  # 2 of 3 decided met (SEV-2, SEV-7)
    assert "RSP-1" in text  # the demo order names no administrator
    french = tmp_path / "revue.pdf"
    unisupport(
        "report",
        "monthly",
        "--order",
        "ESO-2026-001",
        "--month",
        "2026-12",
        "--lang",
        "fr",
        "--output",
        str(french),
    )
    assert "Revue mensuelle des services" in text_of(french.read_bytes())


def test_the_html_review_and_bad_input(december, tmp_path):
    out = tmp_path / "review.html"
    assert (
        unisupport(
            "report", "monthly", "--order", "ESO-2026-001", "--month", "2026-12", "--output", str(out)
        ).exit_code
        == 0
    )
    html = out.read_text()
    assert "Mail delayed 2" in html  # the breach is listed
    assert "66.7" in html
    wrong = unisupport(
        "report", "monthly", "--order", "ESO-2026-001", "--month", "December", "--output", str(out)
    )
    assert wrong.exit_code == 2
    assert "--month" in wrong.stderr
    docx = unisupport(
        "report", "monthly", "--order", "ESO-2026-001", "--month", "2026-12", "--output", "x.docx"
    )
    assert docx.exit_code == 2


def test_the_portal_shows_the_review_and_its_pdf_to_alice_only(december, alice, charlie):
    from tests.interfaces.portal_support import signed_in

    page = "/orders/ESO-2026-001/review/2026-12/"
    shown = signed_in(alice).get(page)
    assert shown.status_code == 200
    assert "66.7" in shown.content.decode()
    pdf = signed_in(alice, "fr").get(page + "?format=pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert "Revue mensuelle des services" in text_of(pdf.content)
    assert signed_in(charlie).get(page).status_code == 404


def test_the_api_gives_the_review_as_json_or_pdf_and_the_portfolio_to_the_vendor(
    api_server, december, tokens
):
    from tests.interfaces.http import request

    url = f"{api_server.url}/api/reviews/monthly?order=ESO-2026-001&month=2026-12"
    data = request("GET", url, token=tokens["alice"]).json()
    assert (data["order"], data["incidents"]["attainment"]) == ("ESO-2026-001", "66.7")
    assert request("GET", url, token=tokens["charlie"]).status == 404
    pdf = request("GET", url + "&format=pdf&lang=fr", token=tokens["alice"])
    assert "Revue mensuelle des services" in text_of(pdf.body)
    assert request("GET", url.replace("2026-12", "12-2026"), token=tokens["alice"]).status == 422
    assert (
        request("GET", f"{api_server.url}/api/portfolio?everyone=true", token=tokens["alice"]).status == 403
    )
    assert "CONTOSO-UNIFIED" in [
        r["agreement"]
        for r in request("GET", f"{api_server.url}/api/portfolio?everyone=true", token=tokens["bob"]).json()
    ]
