"""The iCalendar feeds of deliveries: their secret tokens (created, revoked) and what each shows.

A feed is read by a calendar program, not a person signed in: its secret in the address is the
whole authority, so only its digest is stored (as for API tokens, ``ApiToken.digest_of``), a
revoked or unknown secret finds nothing, and an organisation's feed reads that organisation's
rows only.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db import transaction

from unisupport.accounts.models import ApiToken, Organisation
from unisupport.accounts.permissions import can_keep_engineer_feed, can_keep_organisation_feed, require
from unisupport.accounts.scope import Scope, scope_of
from unisupport.deliveries.models import Delivery, FeedToken
from unisupport.domain.countries import default_timezone
from unisupport.domain.deliveries import DeliveryState
from unisupport.domain.errors import InvalidInput, NotFound
from unisupport.domain.messages import Message, gettext_noop

FEED_PATH = "/deliveries.ics"
FEED_REFUSAL = Message(
    gettext_noop(
        "only the customer's support services administrator (their own organisation's), the vendor's "
        "CSAMs, schedulers and back office, or the engineer themselves keep a delivery feed"
    )
)
ONE_OWNER = Message(gettext_noop("a feed is either an organisation's or an engineer's: give one of them"))
NOT_AN_ENGINEER = gettext_noop("{user} is not on the vendor's staff: no deliveries to show")
# Deliveries on a calendar: those with a date. A cancelled one stays, marked cancelled, so that a
# calendar that had it removes it (RFC 5545 STATUS:CANCELLED).
SHOWN_STATES = (DeliveryState.SCHEDULED.value, DeliveryState.DELIVERED.value, DeliveryState.CANCELLED.value)
# How far back a feed reaches: a year of past deliveries is history enough for a calendar.
HISTORY = dt.timedelta(days=366)


@dataclass(frozen=True, slots=True)
class IssuedFeed:
    """A feed token just created, with its secret: shown once, never stored."""

    token: FeedToken
    secret: str

    @property
    def path(self) -> str:
        """Return the feed's address on the host (its secret included)."""
        return f"{FEED_PATH}?token={self.secret}"


def create_feed_token(
    *,
    scope: Scope,
    organisation_id: int | None = None,
    engineer: User | None = None,
    at: dt.datetime,
) -> IssuedFeed:
    """Return a new feed token of ``organisation_id``'s scheduled deliveries or ``engineer``'s, with its secret."""
    if (organisation_id is None) == (engineer is None):
        raise InvalidInput("organisation", ONE_OWNER)
    if organisation_id is not None:
        if not Organisation.objects.filter(pk=organisation_id).exists() or not scope.sees(organisation_id):
            raise NotFound(
                Message(gettext_noop("no organisation {id}"), id=organisation_id), field="organisation"
            )
        require(scope, lambda s: can_keep_organisation_feed(s, organisation_id), FEED_REFUSAL)
    else:
        assert engineer is not None
        require(scope, lambda s: can_keep_engineer_feed(s, engineer.pk), FEED_REFUSAL)
        if not scope_of(engineer).is_vendor:
            raise InvalidInput("engineer", Message(NOT_AN_ENGINEER, user=engineer.get_username()))
    secret = "uf_" + secrets.token_urlsafe(32)
    token = FeedToken.objects.create(
        organisation_id=organisation_id,
        engineer=engineer,
        prefix=secret[:10],
        digest=ApiToken.digest_of(secret),
        created_at=at,
        created_by_id=scope.user_id,
    )
    return IssuedFeed(token, secret)


def revoke_feed_token(*, scope: Scope, token_id: int, at: dt.datetime) -> FeedToken:
    """Return feed token ``token_id`` revoked at ``at`` (a second revocation keeps the first instant)."""
    with transaction.atomic():
        token = FeedToken.objects.select_for_update().filter(pk=token_id).first()
        # A customer learns nothing of the feeds they may not see: not found, as for another's rows.
        visible = token is not None and (
            scope.sees(token.organisation_id) if token.organisation_id is not None else scope.is_vendor
        )
        if token is None or not visible:
            raise NotFound(Message(gettext_noop("no feed F-{id}"), id=token_id), field="feed")
        if token.organisation_id is not None:
            owner = token.organisation_id
            require(scope, lambda s: can_keep_organisation_feed(s, owner), FEED_REFUSAL)
        else:
            engineer_id = token.engineer_id
            assert engineer_id is not None  # a feed has one owner (feed_token_one_owner)
            require(scope, lambda s: can_keep_engineer_feed(s, engineer_id), FEED_REFUSAL)
        if token.revoked_at is None:
            token.revoked_at = at
            token.save(update_fields=["revoked_at"])
    return token


def feed_for(secret: str) -> FeedToken | None:
    """Return the live feed token whose secret is ``secret``, or None (unknown or revoked alike, or the
    feed of an engineer whose account is closed: their calendar stops with their access)."""
    if not secret:
        return None
    return (
        FeedToken.objects.filter(digest=ApiToken.digest_of(secret), revoked_at__isnull=True)
        .exclude(engineer__is_active=False)
        .first()
    )


def feed_deliveries(token: FeedToken, *, now: dt.datetime) -> list[tuple[Delivery, ZoneInfo]]:
    """Return the dated deliveries ``token`` shows (its organisation's, or its engineer's), each with its
    site's time zone, from a year before ``now`` on, by date."""
    rows = Delivery.objects.select_related("order", "service", "engineer").filter(
        state__in=SHOWN_STATES,
        scheduled_on__isnull=False,
        scheduled_on__gte=(now - HISTORY).date(),
    )
    if token.organisation_id is not None:
        rows = rows.filter(organisation_id=token.organisation_id)
    else:
        rows = rows.filter(engineer_id=token.engineer_id)
    found = list(rows.order_by("scheduled_on", "start", "pk"))
    zones = _site_zones(found)
    return [(d, ZoneInfo(zones.get((d.order_id, d.site)) or default_timezone(d.site))) for d in found]


def _site_zones(deliveries: list[Delivery]) -> dict[tuple[int, str], str]:
    """Return the time zone of each delivering site of ``deliveries``' orders (current versions), in one read."""
    from unisupport.orders.models import Site

    current = {d.order_id: d.order.current_version for d in deliveries}
    rows = Site.objects.filter(order_version__order_id__in=current).values_list(
        "order_version__order_id", "order_version__version", "country", "timezone"
    )
    return {(order, country): zone for order, version, country, zone in rows if current[order] == version}
