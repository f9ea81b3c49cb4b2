"""iCalendar feeds of deliveries (issue 12 §5): tokens kept as digests, created and revoked by whom
may, and a feed of exactly the token's deliveries, timed in the site's zone (DEL-4 scheduling).

Contoso's ESO-2026-001 delivers in France (Europe/Paris); summer time starts on 2027-03-28.
"""

from __future__ import annotations

import datetime as dt
from datetime import date
from decimal import Decimal

import pytest
from icalendar import Calendar

from tests.scopes import OPERATOR
from unisupport.accounts.models import ApiToken, Organisation
from unisupport.accounts.roles import Role
from unisupport.accounts.scope import scope_of
from unisupport.accounts.services import create_person
from unisupport.deliveries import feeds, services
from unisupport.deliveries.ical import delivery_calendar
from unisupport.deliveries.models import Delivery, FeedToken
from unisupport.domain.deliveries import CancelledBy, DeliveryRequest
from unisupport.domain.errors import Forbidden, InvalidInput, NotFound

pytestmark = pytest.mark.django_db

ORDER = "ESO-2026-001"
JAN_4 = dt.datetime(2027, 1, 4, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def erin(demo_orders):
    """Return erin, a vendor support engineer who delivers."""
    from unisupport.accounts.models import EngineerProfile

    person = create_person(
        username="erin", password="x" * 20, roles=[Role.SUPPORT_ENGINEER], organisation=None
    )
    # DEL-4, DEL-8: scheduling checks what she delivers, and in which languages.
    EngineerProfile.objects.create(user=person, country="FR", services=["workshop"], languages=["fr", "en"])
    return person


def contoso() -> int:
    return Organisation.objects.get(name="Contoso SA").pk


def scheduled(on: date, *, start: dt.time | None = None, hours: str | None = None, engineer=None) -> Delivery:
    command = DeliveryRequest.parse(order=ORDER, site="FR", service="workshop", quantity=2)
    delivery = services.request_delivery(scope=OPERATOR, command=command, at=JAN_4)
    return services.schedule_delivery(
        scope=OPERATOR,
        delivery_id=delivery.pk,
        on=on,
        start=start,
        hours=Decimal(hours) if hours else None,
        engineer=engineer,
        at=JAN_4,
    )


def events(token: FeedToken) -> dict[str, object]:
    body = delivery_calendar(feeds.feed_deliveries(token, now=JAN_4), host="example.test", now=JAN_4)
    return {str(e["UID"]): e for e in Calendar.from_ical(body).walk("VEVENT")}


def test_a_feed_secret_is_shown_once_and_stored_only_as_its_digest(alice):
    issued = feeds.create_feed_token(scope=scope_of(alice), organisation_id=contoso(), at=JAN_4)
    assert issued.path == f"/deliveries.ics?token={issued.secret}"
    stored = FeedToken.objects.get()
    assert stored.digest == ApiToken.digest_of(issued.secret)
    assert issued.secret not in {stored.digest, stored.prefix}
    assert feeds.feed_for(issued.secret) == stored
    assert feeds.feed_for("uf_guess") is None


def test_who_keeps_which_feed(alice, bob, charlie, vera, erin):
    """The customer's administrator keeps their own organisation's feed only; the vendor's CSAM any;
    an engineer their own; a viewer none."""
    with pytest.raises(NotFound):
        feeds.create_feed_token(scope=scope_of(charlie), organisation_id=contoso(), at=JAN_4)
    with pytest.raises(Forbidden):
        feeds.create_feed_token(scope=scope_of(vera), organisation_id=contoso(), at=JAN_4)
    with pytest.raises(Forbidden):
        feeds.create_feed_token(scope=scope_of(alice), engineer=erin, at=JAN_4)
    with pytest.raises(InvalidInput):
        feeds.create_feed_token(scope=scope_of(bob), engineer=alice, at=JAN_4)
    with pytest.raises(InvalidInput):
        feeds.create_feed_token(scope=scope_of(bob), at=JAN_4)
    own = feeds.create_feed_token(scope=scope_of(erin), engineer=erin, at=JAN_4)
    theirs = feeds.create_feed_token(scope=scope_of(bob), organisation_id=contoso(), at=JAN_4)
    # charlie cannot tell Contoso's feed exists; alice cannot revoke an engineer's.
    with pytest.raises(NotFound):
        feeds.revoke_feed_token(scope=scope_of(charlie), token_id=theirs.token.pk, at=JAN_4)
    with pytest.raises(NotFound):
        feeds.revoke_feed_token(scope=scope_of(alice), token_id=own.token.pk, at=JAN_4)
    revoked = feeds.revoke_feed_token(scope=scope_of(alice), token_id=theirs.token.pk, at=JAN_4)
    assert revoked.revoked_at == JAN_4
    again = feeds.revoke_feed_token(scope=scope_of(bob), token_id=theirs.token.pk, at=JAN_4 + dt.timedelta(1))
    assert again.revoked_at == JAN_4  # the first revocation stands


def test_a_revoked_feed_finds_nothing(alice):
    issued = feeds.create_feed_token(scope=scope_of(alice), organisation_id=contoso(), at=JAN_4)
    feeds.revoke_feed_token(scope=scope_of(alice), token_id=issued.token.pk, at=JAN_4)
    assert feeds.feed_for(issued.secret) is None


def test_del4_an_organisations_feed_shows_its_dated_deliveries_in_utc_across_dst(rates, alice):
    """DEL-4 scheduling: a delivery at 09:30 Paris time is 08:30Z in winter (2027-03-26) and 07:30Z
    after the change to summer time (2027-03-30); one without a start is an all-day DATE event; a
    request not yet scheduled is not on the calendar; a cancelled one is, marked CANCELLED."""
    winter = scheduled(date(2027, 3, 26), start=dt.time(9, 30), hours="3")
    summer = scheduled(date(2027, 3, 30), start=dt.time(9, 30), hours="2.5")
    all_day = scheduled(date(2027, 4, 6))
    dropped = scheduled(date(2027, 4, 7), start=dt.time(14, 0), hours="1")
    services.cancel_delivery(scope=OPERATOR, delivery_id=dropped.pk, by=CancelledBy.VENDOR, at=JAN_4)
    unscheduled = services.request_delivery(
        scope=OPERATOR, command=DeliveryRequest.parse(order=ORDER, site="FR", service="workshop"), at=JAN_4
    )
    token = feeds.create_feed_token(scope=scope_of(alice), organisation_id=contoso(), at=JAN_4).token
    shown = events(token)
    uid = "delivery-{}@example.test".format
    assert set(shown) == {uid(winter.pk), uid(summer.pk), uid(all_day.pk), uid(dropped.pk)}
    assert uid(unscheduled.pk) not in shown
    first, second = shown[uid(winter.pk)], shown[uid(summer.pk)]
    assert first.decoded("DTSTART") == dt.datetime(2027, 3, 26, 8, 30, tzinfo=dt.UTC)
    assert first.decoded("DTEND") == dt.datetime(2027, 3, 26, 11, 30, tzinfo=dt.UTC)
    assert second.decoded("DTSTART") == dt.datetime(2027, 3, 30, 7, 30, tzinfo=dt.UTC)
    assert second.decoded("DTEND") == dt.datetime(2027, 3, 30, 10, 0, tzinfo=dt.UTC)
    day = shown[uid(all_day.pk)]
    assert (day.decoded("DTSTART"), day.decoded("DTEND")) == (date(2027, 4, 6), date(2027, 4, 7))
    assert str(second["STATUS"]) == "CONFIRMED"
    assert str(shown[uid(dropped.pk)]["STATUS"]) == "CANCELLED"
    assert ORDER in str(second["SUMMARY"])
    assert ORDER in str(second["DESCRIPTION"])


def test_a_reschedule_raises_the_sequence_so_calendars_move_the_event(rates, alice):
    """DEL-3: a moved delivery keeps its UID and carries a higher SEQUENCE (RFC 5545 §3.8.7.4)."""
    delivery = scheduled(date(2027, 3, 26), start=dt.time(9, 30), hours="1")
    services.reschedule_delivery(scope=OPERATOR, delivery_id=delivery.pk, on=date(2027, 4, 2), at=JAN_4)
    token = feeds.create_feed_token(scope=OPERATOR, organisation_id=contoso(), at=JAN_4).token
    (event,) = events(token).values()
    assert (event["SEQUENCE"], event.decoded("DTSTART")) == (1, dt.datetime(2027, 4, 2, 7, 30, tzinfo=dt.UTC))


def test_an_engineers_feed_shows_only_what_they_deliver(rates, erin):
    mine = scheduled(date(2027, 3, 26), start=dt.time(9, 30), hours="1", engineer=erin)
    scheduled(date(2027, 3, 30), start=dt.time(9, 30), hours="1")
    token = feeds.create_feed_token(scope=scope_of(erin), engineer=erin, at=JAN_4).token
    assert list(events(token)) == [f"delivery-{mine.pk}@example.test"]


def test_charlies_feed_never_shows_contosos_deliveries(rates, charlie):
    scheduled(date(2027, 3, 26), start=dt.time(9, 30), hours="1")
    fabrikam = Organisation.objects.get(name="Fabrikam Inc.").pk
    token = feeds.create_feed_token(scope=scope_of(charlie), organisation_id=fabrikam, at=JAN_4).token
    assert events(token) == {}


def test_an_engineers_feed_stops_when_their_account_is_closed(erin):
    issued = feeds.create_feed_token(scope=scope_of(erin), engineer=erin, at=JAN_4)
    assert feeds.feed_for(issued.secret) == issued.token
    erin.is_active = False
    erin.save()
    assert feeds.feed_for(issued.secret) is None
