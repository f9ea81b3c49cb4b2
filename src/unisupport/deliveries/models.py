"""Delivery requests for proactive services and their timeline (DEL-1..DEL-8).

A request is paid when it is made: its ``payment`` is the ledger debit that reserves the cost on
the paying account (credits at the rate card in force, or hours of the service's block), so the
balance every later request sees already excludes it. Cancelling refunds what the fee rules
leave; delivering keeps the debit as the consumption. The timeline is never edited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from unisupport.accounts.models import Organisation
from unisupport.domain.deliveries import CancelledBy, DeliveryState, Payment
from unisupport.ledger.models import LedgerEntry
from unisupport.orders.models import Order

STATES = [
    (DeliveryState.REQUESTED.value, _("Requested")),
    (DeliveryState.SCHEDULED.value, _("Scheduled")),
    (DeliveryState.DELIVERED.value, _("Delivered")),
    (DeliveryState.CANCELLED.value, _("Cancelled")),
    (DeliveryState.REFUSED.value, _("Refused")),
]
PAYMENTS = [
    (Payment.CREDITS.value, _("Proactive credits")),
    (Payment.HOURS.value, _("Block of hours")),
    (Payment.ALLOCATION.value, _("Flexible allocation")),
    (Payment.MONEY.value, _("Billed at its price")),
]


class Delivery(models.Model):
    """A proactive service requested on an order's site, scheduled, then delivered or cancelled."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("order")
    )
    site = models.CharField(_("site"), max_length=2)  # the delivering site's country
    service = models.ForeignKey(
        "catalog.ServiceRecord", on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    pay = models.CharField(_("paid with"), max_length=10, choices=PAYMENTS)
    cost = models.DecimalField(_("cost"), max_digits=20, decimal_places=2)  # fixed at request time
    unit = models.CharField(_("unit"), max_length=10)  # credits, hours, or the currency (allocation, money)
    payment = models.OneToOneField(
        LedgerEntry, on_delete=models.PROTECT, related_name="delivery", verbose_name=_("payment")
    )
    language = models.CharField(_("language"), max_length=8, default="en")
    on_site = models.BooleanField(_("on site"), default=False)
    # DEL-5: on site without being prepaid, reasonable travel and living expenses are billed on top.
    travel_and_expenses = models.BooleanField(_("travel and expenses billed (DEL-5)"), default=False)
    best_effort = models.BooleanField(_("best effort (DEL-1)"), default=False)
    state = models.CharField(_("state"), max_length=10, choices=STATES, default=DeliveryState.REQUESTED.value)
    requested_at = models.DateTimeField(_("requested at"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    scheduled_on = models.DateField(_("delivery date"), null=True, blank=True)  # the site's local date
    start = models.TimeField(_("start (site time)"), null=True, blank=True)
    hours = models.DecimalField(_("duration (hours)"), max_digits=5, decimal_places=2, null=True, blank=True)
    engineer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("engineer"),
    )
    reschedules = models.PositiveIntegerField(
        default=0, verbose_name=_("reschedules")
    )  # DEL-3: the first is free
    cancelled_by = models.CharField(
        max_length=10,
        blank=True,
        choices=[(c.value, c.value) for c in CancelledBy],
        verbose_name=_("cancelled by"),
    )
    reason = models.TextField(_("reason"), blank=True)
    # DEL-4, DEL-7: a workshop's capacity, and the minimum of registrations due by a deadline.
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    minimum = models.PositiveIntegerField(_("minimum registrations"), null=True, blank=True)
    registration_deadline = models.DateField(_("registration deadline"), null=True, blank=True)
    refusal_rule = models.CharField(_("refused under"), max_length=10, blank=True)  # the rule cited
    delivered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("delivered at"))

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [
            models.Index(fields=["organisation", "state", "scheduled_on"], name="delivery_org_state"),
            models.Index(fields=["order", "state"], name="delivery_order_state"),
            # The lists, newest request first: a customer's (by organisation), the vendor's (all),
            # the board's waiting requests (by state), read a page at a time (keyset, never OFFSET).
            models.Index(fields=["organisation", "-requested_at", "-id"], name="delivery_org_newest"),
            models.Index(fields=["-requested_at", "-id"], name="delivery_newest"),
            models.Index(fields=["state", "-requested_at", "-id"], name="delivery_state_newest"),
            # The board's week: scheduled deliveries by day, with their engineer.
            models.Index(fields=["state", "scheduled_on", "engineer"], name="delivery_state_day"),
        ]

    def __str__(self) -> str:
        return f"D-{self.pk} {self.service_id} ({self.state})"


class DeliveryEvent(models.Model):
    """One thing that happened to a delivery: who, when, which rule decided, and the facts."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    kind = models.CharField(max_length=20)
    rule = models.CharField(max_length=10, blank=True)
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.at:%Y-%m-%d %H:%M}"


class FeedToken(models.Model):
    """The secret address of an iCalendar feed: an organisation's scheduled deliveries, or those an
    engineer delivers. Only the secret's SHA-256 is stored (as for API tokens); it is shown once."""

    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
    )
    engineer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("engineer"),
    )
    prefix = models.CharField(max_length=12, verbose_name=_("prefix"))
    digest = models.CharField(max_length=64, unique=True, verbose_name=_("digest"))
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            # A feed is an organisation's or an engineer's, never both nor neither.
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False, engineer__isnull=True)
                | models.Q(organisation__isnull=True, engineer__isnull=False),
                name="feed_token_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"F-{self.pk} {self.prefix}…"


class Registration(models.Model):
    """A participant of a workshop, with the consents DEL-7 asks of whoever joins, and when they gave them."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    consented_at = models.DateTimeField(_("consented at"))  # to the recording and to their name being seen

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["delivery", "email"], name="one_registration_per_email")
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class Deliverable(models.Model):
    """A file a delivery left (a recording, a report), stored outside the web root and served only to
    the customer's own people and the vendor (DEL-7, §2.7)."""

    delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="deliverables")
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"))
    uploaded_by = models.CharField(_("uploaded by"), max_length=150, blank=True)

    class Meta:
        ordering = ["delivery", "pk"]
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")

    def __str__(self) -> str:
        return f"D-{self.delivery_id} {self.name}"


class AssessmentWork(models.Model):
    """Time given to an on-demand assessment (DEL-6): the initial setup assistance (at most 2 hours),
    or an extra analysis resource (on site up to 2 days, remote up to 1), a separate paid line."""

    SETUP = "setup"
    RESOURCE = "resource"

    delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="assessment_work")
    kind = models.CharField(
        max_length=10, choices=[(SETUP, _("setup assistance")), (RESOURCE, _("analysis resource"))]
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2, null=True, blank=True)
    days = models.DecimalField(_("days"), max_digits=4, decimal_places=2, null=True, blank=True)
    on_site = models.BooleanField(_("on site"), default=False)
    charge = models.OneToOneField(
        LedgerEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="assessment_work"
    )  # the resource's fee, billed to what the order owes
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.CharField(_("recorded by"), max_length=150, blank=True)

    class Meta:
        ordering = ["delivery", "starts_at"]

    def __str__(self) -> str:
        return f"D-{self.delivery_id} {self.kind} {self.starts_at:%Y-%m-%d %H:%M}"
