"""The enhanced offerings' programmes in the database: dated milestones (MCS-1..MCS-3, UER-2,
UER-3, REDE-1), MCS Plus monitoring scenarios and their fired monitors (MCS-3), service
improvement plans (MCS-4), declared Azure outages and the communications sent (MCS-5), and the
customer's authorisation of MSCIR work before signature (MCS-9).

The decisions are the domain's (domain/programmes.py, domain/mcs.py); these tables keep them.
Every customer-owned row carries ``organisation`` so that the scope filter is one WHERE clause.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from unisupport.accounts.models import Organisation
from unisupport.domain.messages import Message
from unisupport.domain.programmes import MilestoneState
from unisupport.incidents.models import Incident
from unisupport.orders.models import Order


class Milestone(models.Model):
    """One dated step of an order's programme, with the rule that sets it."""

    STATES = [(s.value, s.value) for s in MilestoneState]

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="programme_milestones", verbose_name=_("order")
    )
    key = models.CharField(_("milestone"), max_length=60)
    offering = models.CharField(_("offering"), max_length=60)
    rule = models.CharField(_("rule"), max_length=12)
    # The name as the domain wrote it (a Message's JSON): shown in the reader's language.
    name = models.JSONField(_("name"))
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))
    due = models.DateField(_("due"), null=True, blank=True)
    # The instant the milestone turns late: the start of the day after ``due`` at the order's host
    # site, in UTC. Stored and indexed so that the late list and the worker are one index range.
    late_from = models.DateTimeField(null=True, blank=True, verbose_name=_("late from"))
    state = models.CharField(_("state"), max_length=10, choices=STATES, default=MilestoneState.PENDING)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.CharField(_("done by"), max_length=150, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    # A file given as evidence: stored by its SHA-256 with the deliverables (deliveries.deliverables).
    evidence_name = models.CharField(_("evidence file"), max_length=200, blank=True)
    evidence_type = models.CharField(max_length=100, blank=True, verbose_name=_("evidence type"))
    evidence_sha256 = models.CharField(max_length=64, blank=True, verbose_name=_("evidence SHA-256"))
    waived_at = models.DateTimeField(_("waived at"), null=True, blank=True)
    waived_by = models.CharField(_("waived by"), max_length=150, blank=True)
    waive_reason = models.TextField(_("waive reason"), blank=True)
    # Set once the worker queued the late reminder: never a second one.
    reminded_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reminded at"))
    # When the worker reminds of it: ``late_from`` while it is pending and not reminded, else NULL —
    # so that the worker's scan is one index range holding only what is due (never the thousands of
    # milestones already reminded, done or waived).
    remind_at = models.DateTimeField(null=True, blank=True, db_index=True, verbose_name=_("remind at"))

    class Meta:
        ordering = ["order", "due", "position"]
        constraints = [models.UniqueConstraint(fields=["order", "key"], name="one_milestone_per_key")]
        indexes = [
            models.Index(fields=["state", "late_from"], name="milestone_late"),
        ]
        verbose_name = _("programme milestone")
        verbose_name_plural = _("programme milestones")

    def __str__(self) -> str:
        return f"{self.order.number} {self.key} ({self.rule})"

    @property
    def title(self) -> Message:
        """Return the milestone's name as a Message (the portal translates it)."""
        return Message.from_json(self.name)


class MonitoringScenario(models.Model):
    """One of at most seven mutually agreed monitoring scenarios of an MCS Plus order (MCS-3).

    ``monitors`` and ``thresholds`` use confidential telemetry: never shown to the customer.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="monitoring_scenarios", verbose_name=_("order")
    )
    name = models.CharField(_("name"), max_length=200)
    monitors = models.TextField(_("monitors (vendor-confidential)"), blank=True)
    thresholds = models.TextField(_("thresholds (vendor-confidential)"), blank=True)
    operational_at = models.DateTimeField(_("declared operational"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.CharField(_("created by"), max_length=150, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("monitoring scenario (MCS-3)")
        verbose_name_plural = _("monitoring scenarios (MCS-3)")

    def __str__(self) -> str:
        return f"{self.order.number}: {self.name}"


class MonitorAlert(models.Model):
    """A monitor of a scenario that fired: linked to the open incident, or the customer asked to open one (MCS-3)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    scenario = models.ForeignKey(
        MonitoringScenario, on_delete=models.PROTECT, related_name="alerts", verbose_name=_("scenario")
    )
    fired_at = models.DateTimeField(_("fired at"))
    summary = models.CharField(_("what the customer is told"), max_length=500, blank=True)
    incident = models.ForeignKey(
        Incident,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("incident"),
    )
    customer_asked_at = models.DateTimeField(_("customer asked to open an incident"), null=True, blank=True)
    recorded_by = models.CharField(max_length=150, blank=True, verbose_name=_("recorded by"))

    class Meta:
        ordering = ["-fired_at"]
        verbose_name = _("fired monitor (MCS-3)")
        verbose_name_plural = _("fired monitors (MCS-3)")


class ImprovementPlan(models.Model):
    """A service improvement plan (SIP) requested on an MCS order: two per rolling 12 months (MCS-4)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="improvement_plans", verbose_name=_("order")
    )
    requested_on = models.DateField(_("requested on"))
    requested_at = models.DateTimeField(_("requested at"))
    requested_by = models.CharField(_("requested by"), max_length=150, blank=True)
    topic = models.CharField(_("topic"), max_length=300, blank=True)

    class Meta:
        ordering = ["order", "requested_on", "pk"]
        indexes = [models.Index(fields=["order", "requested_on"], name="sip_window")]
        verbose_name = _("service improvement plan (MCS-4)")
        verbose_name_plural = _("service improvement plans (MCS-4)")


class Outage(models.Model):
    """A declared multi-customer Azure outage, recorded by the vendor (MCS-5)."""

    title = models.CharField(_("title"), max_length=300)
    services = models.JSONField(_("affected services"), default=list)
    regions = models.JSONField(_("affected regions"), default=list)
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    declared_at = models.DateTimeField(_("declared at"))
    declared_by = models.CharField(_("declared by"), max_length=150, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("Azure outage (MCS-5)")
        verbose_name_plural = _("Azure outages (MCS-5)")

    def __str__(self) -> str:
        return self.title


class OutageNotice(models.Model):
    """One tailored communication of an outage to one contact of one order: recorded once (MCS-5)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    outage = models.ForeignKey(
        Outage, on_delete=models.PROTECT, related_name="notices", verbose_name=_("outage")
    )
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="+", verbose_name=_("order"))
    email = models.EmailField(_("e-mail"))
    sent_at = models.DateTimeField(_("queued at"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["outage", "order", "email"], name="one_outage_notice")]
        verbose_name = _("outage communication (MCS-5)")
        verbose_name_plural = _("outage communications (MCS-5)")


class PreSignatureAuthorisation(models.Model):
    """The customer's authorisation to start MSCIR before its contract is signed (MCS-9)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="+", verbose_name=_("order"))
    authorised_by = models.CharField(_("authorised by (customer)"), max_length=200)
    authorised_at = models.DateTimeField(_("authorised at"))
    recorded_by = models.CharField(_("recorded by"), max_length=150, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-authorised_at"]
        verbose_name = _("MSCIR authorisation before signature (MCS-9)")
        verbose_name_plural = _("MSCIR authorisations before signature (MCS-9)")
