"""The CSAM's portfolio (issue 14 §4): one line per customer they manage, sortable, exported as CSV;
the vendor's page only."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from tests.interfaces.portal_support import signed_in

pytestmark = pytest.mark.django_db


def test_bobs_portfolio_lists_his_customers_with_their_late_milestones_and_exports_csv(
    bob, alice, monkeypatch
):
    from unisupport import clock
    from unisupport.orders.models import Agreement

    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 9, 1, 9, tzinfo=dt.UTC))
    Agreement.objects.filter(code="CONTOSO-UNIFIED").update(csam=bob)
    page = signed_in(bob).get("/portfolio/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "CONTOSO-UNIFIED" in body
    assert "FABRIKAM" not in body  # not his
    assert "FABRIKAM" in signed_in(bob).get("/portfolio/?all=1").content.decode()
    exported = signed_in(bob).get("/portfolio/?format=csv&sort=-late_milestones&all=1")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode())))
    assert rows[0]["agreement"] == "CONTOSO-UNIFIED"  # the most late milestones first
    assert int(rows[0]["late_milestones"]) >= 5
    assert int(rows[0]["credits_used"]) == 0
    assert int(rows[0]["at_risk"]) == 700  # Contoso's 500 FR and 200 DE credits, unspent
    assert signed_in(alice).get("/portfolio/").status_code == 404
    assert 'href="/portfolio/"' in body
    assert 'href="/portfolio/"' not in signed_in(alice).get("/incidents/").content.decode()
