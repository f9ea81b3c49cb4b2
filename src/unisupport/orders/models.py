"""Agreements, orders and their versions, sites, lines and the flexible allocation.

Every row a customer owns carries ``organisation`` (so that a later move to sharding by
customer stays open, and so that the scope filter is one WHERE clause). An order is never
edited in place: an amendment is a new OrderVersion (ORD-9); sites, lines and the allocation
belong to the version.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from unisupport.accounts.models import Organisation
from unisupport.domain import lines
from unisupport.domain.contacts import ContactRole


class SiteRole(models.TextChoices):
    """MC-1: the host holds foundational; every other site is downstream."""

    HOST = "host", _("Host site")
    DOWNSTREAM = "downstream", _("Downstream site")


class LineStatus(models.TextChoices):
    """ORD-8: lines subject to resource availability wait for the vendor's decision."""

    ACTIVE = lines.LineStatus.ACTIVE.value, _("Active")
    PENDING_ACCEPTANCE = lines.LineStatus.PENDING_ACCEPTANCE.value, _("Awaiting vendor acceptance")
    ACCEPTED = lines.LineStatus.ACCEPTED.value, _("Accepted")
    REFUSED = lines.LineStatus.REFUSED.value, _("Refused")


class Agreement(models.Model):
    """A Unified agreement: one or more orders sharing one host site (MC-1, MC-2)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("organisation")
    )
    code = models.CharField(_("agreement"), max_length=80, unique=True)
    host_country = models.CharField(_("host country"), max_length=2)
    # ORD-2: the day the foundational package ended early (termination); every add-on ends with it.
    terminated_on = models.DateField(_("foundational terminated on"), null=True, blank=True)
    # MC-3: success management is managed at the host, by the host's CSAM.
    csam = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="CSAM",
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return self.code


class Order(models.Model):
    """An Enterprise Services Order (Ordre de Services): its identity across versions."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="orders", verbose_name=_("organisation")
    )
    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="orders", verbose_name=_("agreement")
    )
    number = models.CharField(_("order"), max_length=80, unique=True)
    current_version = models.PositiveIntegerField(default=1, verbose_name=_("current version"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["number"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")

    def __str__(self) -> str:
        return self.number


class OrderVersion(models.Model):
    """One version of an order. Version 1 is the executed order; later ones are amendments (ORD-9)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="versions", verbose_name=_("order")
    )
    version = models.PositiveIntegerField(verbose_name=_("version"))
    customer_name = models.CharField(max_length=200, verbose_name=_("customer name"))
    host_country = models.CharField(max_length=2, verbose_name=_("host country"))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    # The contract's execution date when the file gives it (`signed:`); else the start counts.
    signed = models.DateField(_("signed"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    usd_rate = models.DecimalField(
        max_digits=18, decimal_places=8, null=True, blank=True, verbose_name=_("USD rate")
    )
    assessed_azure_spend = models.DecimalField(
        max_digits=18, decimal_places=2, null=True, blank=True, verbose_name=_("assessed azure spend")
    )
    plus_floor_price_elected = models.BooleanField(default=False, verbose_name=_("plus floor price elected"))
    # SM-1: success management is included unless the order says otherwise.
    success_management = models.BooleanField(_("success management included"), default=True)
    fingerprint = models.CharField(max_length=64, verbose_name=_("fingerprint"))
    source_yaml = models.TextField(verbose_name=_("source file (YAML)"))
    imported_at = models.DateTimeField(auto_now_add=True, verbose_name=_("imported at"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("imported by"),
    )

    class Meta:
        ordering = ["order", "version"]
        constraints = [models.UniqueConstraint(fields=["order", "version"], name="unique_order_version")]
        verbose_name = _("order version")
        verbose_name_plural = _("order versions")

    def __str__(self) -> str:
        return f"{self.order.number} v{self.version}"

    @property
    def executed_on(self) -> dt.date:
        """Return the contract's execution date: the file's ``signed:``, else the order's start."""
        return self.signed or self.start


class Site(models.Model):
    """A support location of an order version, in one country and time zone."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    order_version = models.ForeignKey(OrderVersion, on_delete=models.CASCADE, related_name="sites")
    country = models.CharField(_("country"), max_length=2)
    timezone = models.CharField(_("time zone"), max_length=64)
    role = models.CharField(_("role"), max_length=12, choices=SiteRole.choices)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order_version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["order_version", "country"], name="unique_site_country")
        ]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self) -> str:
        return f"{self.country} ({self.role})"


class OrderLine(models.Model):
    """A service bought (or included) for a site: quantity and price in the order's currency."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="lines", verbose_name=_("site"))
    service = models.ForeignKey(
        "catalog.ServiceRecord", on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    quantity = models.DecimalField(max_digits=14, decimal_places=2, verbose_name=_("quantity"))
    price = models.DecimalField(
        max_digits=18, decimal_places=2, null=True, blank=True, verbose_name=_("price")
    )
    list_price = models.DecimalField(
        max_digits=18, decimal_places=2, null=True, blank=True, verbose_name=_("list price")
    )
    timezone = models.CharField(max_length=64, blank=True, verbose_name=_("timezone"))  # HRS-5
    # DEL-5: sold as delivered on site: its deliveries on site bill no travel (prepaid).
    on_site = models.BooleanField(_("sold on site"), default=False)
    status = models.CharField(
        max_length=10, choices=LineStatus.choices, default=LineStatus.ACTIVE, verbose_name=_("status")
    )
    position = models.PositiveIntegerField(default=0, verbose_name=_("position"))

    class Meta:
        ordering = ["site", "position"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")

    def __str__(self) -> str:
        return f"{self.service_id} × {self.quantity}"


class FlexibleAllocation(models.Model):
    """The flexible allocation of an order version (§2.2)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    order_version = models.OneToOneField(
        OrderVersion, on_delete=models.CASCADE, related_name="allocation", verbose_name=_("order version")
    )
    amount = models.DecimalField(max_digits=18, decimal_places=2, verbose_name=_("amount"))

    class Meta:
        verbose_name = _("flexible allocation")
        verbose_name_plural = _("flexible allocations")

    def __str__(self) -> str:
        return f"{self.amount}"


class AllocationAssignment(models.Model):
    """A part of the flexible allocation applied at execution to a service at a site (FLX-5)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    allocation = models.ForeignKey(
        FlexibleAllocation, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("allocation")
    )
    service = models.ForeignKey(
        "catalog.ServiceRecord", on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("site")
    )
    amount = models.DecimalField(max_digits=18, decimal_places=2, verbose_name=_("amount"))

    class Meta:
        verbose_name = _("allocation assignment")
        verbose_name_plural = _("allocation assignments")

    def __str__(self) -> str:
        return f"{self.service_id} @ {self.site.country}: {self.amount}"


class EventCoverage(models.Model):
    """The coverage window of an MCS for Azure Events (Plus) event: its days and scenario (EVT-1..EVT-3).

    Days are calendar dates, weekends and holidays included; Plus may use non-consecutive days.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="events", verbose_name=_("order"))
    service = models.ForeignKey(
        "catalog.ServiceRecord", on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    name = models.CharField(_("event"), max_length=200)
    scenario = models.TextField(_("event scenario"), blank=True)
    days = models.JSONField(_("coverage days"), default=list)  # ISO dates, sorted
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    # A booking (EVT-3..EVT-6); a window typed in by the back office before bookings has none of it.
    products = models.JSONField(_("products in scope"), default=list)
    contacts = models.TextField(_("the customer's contacts for the event"), blank=True)
    chat_bridge = models.URLField(_("24x7 chat bridge (EVT-6)"), blank=True)
    needs_vendor_approval = models.BooleanField(_("awaiting the vendor's approval (EVT-4)"), default=False)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.CharField(_("approved by"), max_length=150, blank=True)
    reduced_scope = models.TextField(_("resilience scope reduced to (EVT-4)"), blank=True)
    booked_at = models.DateTimeField(_("booked at"), null=True, blank=True)
    booked_by = models.CharField(_("booked by"), max_length=150, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.CharField(_("cancelled by"), max_length=10, blank=True)  # customer, vendor
    cancel_reason = models.TextField(_("reason"), blank=True)
    # EVT-3: a change of scenario asked for, until the vendor decides (approved: it replaces the
    # scenario, with any fee and whether a new assessment is needed; refused: with the reason).
    scenario_change = models.TextField(_("scenario change asked for (EVT-3)"), blank=True)
    scenario_change_asked_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("scenario change asked at")
    )
    scenario_change_asked_by = models.CharField(
        max_length=150, blank=True, verbose_name=_("scenario change asked by")
    )
    scenario_changes = models.JSONField(_("scenario changes decided (EVT-3)"), default=list, blank=True)

    class Meta:
        verbose_name = _("event coverage")
        verbose_name_plural = _("event coverages")

    def __str__(self) -> str:
        return f"{self.name} ({self.service_id})"


class AzureSubscription(models.Model):
    """An Azure subscription of a customer, recorded by the vendor: an on-demand assessment needs an
    active one (DEL-6)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    subscription_id = models.UUIDField(_("subscription ID"))
    active_from = models.DateField(_("active from"))
    active_until = models.DateField(_("active until"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.CharField(_("recorded by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("Azure subscription")
        verbose_name_plural = _("Azure subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "subscription_id"], name="one_subscription_record"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id} ({self.organisation})"


class EnrolledSubscription(models.Model):
    """A subscription enrolled on an MCS for Azure Platform order (MCS-6): only these are prioritised."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="enrolled_subscriptions", verbose_name=_("order")
    )
    subscription_id = models.CharField(_("subscription ID"), max_length=64)
    name = models.CharField(_("name"), max_length=200, blank=True)
    region = models.CharField(_("Azure region"), max_length=60, blank=True)
    enrolled_at = models.DateTimeField(_("enrolled at"))
    enrolled_by = models.CharField(_("enrolled by"), max_length=150, blank=True)

    class Meta:
        ordering = ["order", "subscription_id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "subscription_id"], name="one_enrolment_per_order")
        ]
        verbose_name = _("enrolled subscription (MCS-6)")
        verbose_name_plural = _("enrolled subscriptions (MCS-6)")

    def __str__(self) -> str:
        return f"{self.order.number}: {self.subscription_id}"


class OrderContact(models.Model):
    """A customer's person named on an order: support services administrator of a site (RSP-1),
    reactive support contact (RSP-2), outage contact (MCS-5) or escalation contact."""

    ROLES = [(r.value, r.value) for r in ContactRole]

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="contacts")
    role = models.CharField(_("role"), max_length=12, choices=ROLES)
    site = models.CharField(_("site"), max_length=2, blank=True, help_text=_("Empty: every site."))
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.CharField(_("created by"), max_length=150, blank=True)

    class Meta:
        ordering = ["order", "role", "name", "pk"]
        indexes = [models.Index(fields=["order", "role", "active"], name="contact_order_role")]
        verbose_name = _("order contact")
        verbose_name_plural = _("order contacts")

    def __str__(self) -> str:
        return f"{self.name} <{self.email}> ({self.role})"


class ContactChange(models.Model):
    """A change of a contact named on an order, when it happened and when it was reported (RSP-3)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    contact = models.ForeignKey(OrderContact, on_delete=models.PROTECT, related_name="changes")
    changed_on = models.DateField(_("changed on"))
    reported_at = models.DateTimeField(_("reported at"))
    deadline = models.DateField(_("report due by"))
    late = models.BooleanField(_("reported late"), default=False)
    what = models.JSONField(_("what changed"), default=dict)
    reported_by = models.CharField(_("reported by"), max_length=150, blank=True)

    class Meta:
        ordering = ["-reported_at", "-pk"]
        indexes = [models.Index(fields=["late", "reported_at"], name="contact_change_late")]
        verbose_name = _("contact change (RSP-3)")
        verbose_name_plural = _("contact changes (RSP-3)")
