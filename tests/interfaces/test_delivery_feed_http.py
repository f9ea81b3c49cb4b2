"""GET /deliveries.ics?token=… and `unisupport delivery feed …` (issue 12 §5): an RFC 5545 feed a
calendar program subscribes to, 404 for a revoked or unknown token, never another's deliveries."""

from __future__ import annotations

import datetime as dt
import re
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from icalendar import Calendar

from tests.interfaces.clirunner import unisupport
from tests.scopes import OPERATOR
from unisupport.accounts.roles import Role
from unisupport.accounts.services import create_person
from unisupport.deliveries import services
from unisupport.deliveries.models import Delivery, FeedToken
from unisupport.domain.deliveries import DeliveryRequest

pytestmark = pytest.mark.django_db

JAN_4 = dt.datetime(2027, 1, 4, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def monday(monkeypatch, rates):
    from unisupport import clock

    monkeypatch.setattr(clock, "now", lambda: JAN_4)


@pytest.fixture
def engineer(demo_orders):
    """Return a vendor engineer whose name needs escaping in iCalendar TEXT."""
    person = create_person(
        username="erin", password="x" * 20, roles=[Role.SUPPORT_ENGINEER], organisation=None
    )
    person.first_name, person.last_name = "Erin, Jr.;", "O\\Brien"
    person.save()
    from unisupport.accounts.models import EngineerProfile

    # DEL-4, DEL-8: scheduling checks what she delivers, and in which languages.
    EngineerProfile.objects.create(user=person, country="FR", services=["workshop"], languages=["fr", "en"])
    return person


def scheduled(on: date, start: dt.time, *, engineer=None) -> Delivery:
    command = DeliveryRequest.parse(order="ESO-2026-001", site="FR", service="workshop", quantity=2)
    delivery = services.request_delivery(scope=OPERATOR, command=command, at=JAN_4)
    return services.schedule_delivery(
        scope=OPERATOR,
        delivery_id=delivery.pk,
        on=on,
        start=start,
        hours=Decimal(2),
        engineer=engineer,
        at=JAN_4,
    )


def create(*flags: str) -> dict:
    run = unisupport("delivery", "feed", "create", *flags, "--json")
    assert run.exit_code == 0, run.stdout + run.stderr
    return run.json()


def test_del4_the_organisations_feed_is_rfc5545_and_parses(client, monday, engineer):
    """DEL-4 scheduling on the calendar: 2027-03-30 09:30 in Paris (summer time) is 07:30Z."""
    delivery = scheduled(date(2027, 3, 30), dt.time(9, 30), engineer=engineer)
    feed = create("--organisation", "Contoso SA")
    assert feed["path"].startswith("/deliveries.ics?token=uf_")
    assert feed["organisation"] == "Contoso SA"
    answer = client.get(feed["path"])
    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/calendar; charset=utf-8"
    raw = answer.content
    # RFC 5545 §3.1: CRLF line ends, no line longer than 75 octets, continuation lines start with a space.
    assert raw.endswith(b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    lines = raw.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)  # the description is long enough to fold
    assert lines[0] == b"BEGIN:VCALENDAR"
    assert lines[-1] == b"END:VCALENDAR"
    unfolded = raw.replace(b"\r\n ", b"").decode()
    for required in ("VERSION:2.0", "PRODID:", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"):
        assert f"\r\n{required}" in unfolded
    # §3.3.11: TEXT escapes commas, semicolons, backslashes and newlines.
    assert "Erin\\, Jr.\\; O\\\\Brien" in unfolded
    assert "\\n" in unfolded
    (event,) = Calendar.from_ical(raw).walk("VEVENT")
    assert str(event["UID"]) == f"delivery-{delivery.pk}@testserver"
    assert event.decoded("DTSTAMP") == JAN_4
    assert event.decoded("DTSTART") == dt.datetime(2027, 3, 30, 7, 30, tzinfo=dt.UTC)
    assert event.decoded("DTEND") == dt.datetime(2027, 3, 30, 9, 30, tzinfo=dt.UTC)
    assert "DTSTART:20270330T073000Z" in unfolded
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "ESO-2026-001" in str(event["SUMMARY"])


def test_a_revoked_or_unknown_token_answers_404(client, monday):
    feed = create("--organisation", "Contoso SA")
    assert client.get(feed["path"]).status_code == 200
    revoked = unisupport("delivery", "feed", "revoke", str(feed["id"]), "--json")
    assert revoked.exit_code == 0, revoked.stderr
    assert revoked.json()["revoked_at"] == "2027-01-04T10:00:00Z"
    gone, unknown, empty = (
        client.get(p) for p in (feed["path"], "/deliveries.ics?token=uf_x", "/deliveries.ics")
    )
    assert gone.status_code == unknown.status_code == empty.status_code == 404
    # Nothing tells a revoked token from one never issued (but the CSRF token's random mask).
    unmasked = [re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", r.content) for r in (gone, unknown)]
    assert unmasked[0] == unmasked[1]
    assert unisupport("delivery", "feed", "revoke", "999999").exit_code == 2


def test_charlies_feed_never_sees_contosos_deliveries(client, monday, charlie):
    scheduled(date(2027, 3, 30), dt.time(9, 30))
    contoso = client.get(create("--organisation", "Contoso SA")["path"])
    fabrikam = client.get(create("--organisation", "Fabrikam Inc.")["path"])
    assert len(Calendar.from_ical(contoso.content).walk("VEVENT")) == 1
    assert Calendar.from_ical(fabrikam.content).walk("VEVENT") == []
    assert b"ESO-2026-001" not in fabrikam.content


def test_an_engineers_feed_and_the_commands_input(client, monday, engineer):
    mine = scheduled(date(2027, 3, 30), dt.time(9, 30), engineer=engineer)
    scheduled(date(2027, 3, 31), dt.time(9, 30))
    feed = create("--engineer", "erin")
    assert feed["engineer"] == "erin"
    (event,) = Calendar.from_ical(client.get(feed["path"]).content).walk("VEVENT")
    assert str(event["UID"]).startswith(f"delivery-{mine.pk}@")
    assert unisupport("delivery", "feed", "create", "--json").exit_code == 2
    assert unisupport("delivery", "feed", "create", "--organisation", "Nobody Ltd").exit_code == 2
    text = unisupport("delivery", "feed", "create", "--engineer", "erin")
    assert text.exit_code == 0
    assert "/deliveries.ics?token=uf_" in text.stdout
    assert FeedToken.objects.count() == 2


def test_the_back_office_revokes_a_feed_in_the_admin(client, monday, demo_orders):
    from django.contrib.auth.models import User

    feed = create("--organisation", "Contoso SA")
    admin = Client()
    admin.force_login(User.objects.create_superuser("root", "root@example.com", "x"))
    listing = admin.get("/admin/deliveries/feedtoken/")
    assert listing.status_code == 200
    assert feed["path"].split("=")[1] not in listing.text  # the secret is never shown again
    done = admin.post("/admin/deliveries/feedtoken/", {"action": "revoke", "_selected_action": [feed["id"]]})
    assert done.status_code == 302
    assert FeedToken.objects.get().revoked_at == JAN_4
    assert client.get(feed["path"]).status_code == 404
