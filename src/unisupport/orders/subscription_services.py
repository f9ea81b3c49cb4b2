"""Writes recording a customer's Azure subscriptions (DEL-6: an on-demand assessment needs an active one)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction

from unisupport.accounts.models import Organisation
from unisupport.accounts.permissions import can_manage_orders, require
from unisupport.accounts.roles import OrganisationKind
from unisupport.accounts.scope import Scope
from unisupport.domain.errors import InvalidInput
from unisupport.domain.messages import Message, gettext_noop
from unisupport.orders.models import AzureSubscription

SUBSCRIPTION_REFUSAL = Message(gettext_noop("only the vendor's CSAMs and back office record subscriptions"))


@transaction.atomic
def record_azure_subscription(
    *,
    scope: Scope,
    organisation: str,
    subscription_id: str,
    active_from: dt.date,
    at: dt.datetime,
    active_until: dt.date | None = None,
    actor: str = "",
) -> AzureSubscription:
    """Return the subscription recorded (or its dates updated) for the customer ``organisation``."""
    require(scope, can_manage_orders, SUBSCRIPTION_REFUSAL, field=None)
    customer = Organisation.objects.filter(name=organisation, kind=OrganisationKind.CUSTOMER).first()
    if customer is None:
        raise InvalidInput("org", Message(gettext_noop("no customer {name!r}"), name=organisation))
    try:
        parsed = uuid.UUID(str(subscription_id).strip())
    except ValueError:
        raise InvalidInput(
            "id",
            Message(
                gettext_noop("expected a subscription ID (a GUID), got {value!r}"), value=subscription_id
            ),
        ) from None
    if active_until is not None and active_until < active_from:
        raise InvalidInput(
            "until",
            Message(gettext_noop("the subscription ends ({until}) before it starts"), until=active_until),
        )
    row, _ = AzureSubscription.objects.update_or_create(
        organisation=customer,
        subscription_id=parsed,
        defaults={
            "active_from": active_from,
            "active_until": active_until,
            "recorded_at": at,
            "recorded_by": actor,
        },
    )
    return row
