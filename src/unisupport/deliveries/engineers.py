"""Engineers' availability for deliveries: their absences, recorded here, and their own site's days (DEL-4)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from unisupport.accounts.models import EngineerAbsence, EngineerProfile
from unisupport.accounts.permissions import can_schedule_deliveries, require
from unisupport.accounts.scope import Scope
from unisupport.calendars.selectors import calendar_for_site
from unisupport.deliveries.models import Delivery
from unisupport.domain.deliveries import DeliveryState, is_business_day
from unisupport.domain.engineers import Absence, check_available
from unisupport.domain.errors import InvalidInput
from unisupport.domain.messages import Message, gettext_noop
from unisupport.ledger.posting import actor_name

ABSENCE_REFUSAL = Message(
    gettext_noop("only the vendor's CSAMs, schedulers and back office record engineers' absences")
)


def profile_of(username: str, *, field: str = "engineer") -> EngineerProfile:
    """Return the engineer profile of ``username``, else raise InvalidInput naming ``field``."""
    found = EngineerProfile.objects.select_related("user").filter(user__username=username).first()
    if found is None:
        raise InvalidInput(field, Message(gettext_noop("{name} is not a delivery engineer"), name=username))
    return found


@transaction.atomic
def record_absence(
    *,
    scope: Scope,
    engineer: str,
    first_day: dt.date,
    last_day: dt.date,
    at: dt.datetime,
    reason: str = "",
    actor: object = None,
) -> tuple[EngineerAbsence, list[Delivery]]:
    """Return the absence recorded, and the deliveries already scheduled with the engineer then (to move)."""
    require(scope, can_schedule_deliveries, ABSENCE_REFUSAL, field=None)
    profile = profile_of(engineer)
    Absence(first_day, last_day)  # the domain refuses a last day before the first
    absence = EngineerAbsence.objects.create(
        engineer=profile,
        first_day=first_day,
        last_day=last_day,
        reason=reason.strip()[:200],
        recorded_at=at,
        recorded_by=actor_name(actor),
    )
    clashes = list(
        Delivery.objects.filter(
            engineer=profile.user,
            state=DeliveryState.SCHEDULED.value,
            scheduled_on__range=(first_day, last_day),
        ).order_by("scheduled_on", "pk")
    )
    return absence, clashes


def absences_of(profile: EngineerProfile, *, since: dt.date) -> list[Absence]:
    """Return the engineer's absences that end on or after ``since``."""
    return [
        Absence(first, last)
        for first, last in profile.absences.filter(last_day__gte=since).values_list("first_day", "last_day")
    ]


def check_engineer_available(profile: EngineerProfile, *, on: dt.date) -> None:
    """Return None if the engineer of ``profile`` is neither away on ``on`` nor at a site closed then,
    else raise DEL-4."""
    check_available(
        name=profile.user.get_username(),
        day=on,
        absences=absences_of(profile, since=on),
        site=profile.country,
        site_works=is_business_day(on, calendar_for_site(country=profile.country, timezone=None)),
    )
