"""Incidents, their timeline, their milestones (the worker's queue) and the e-mail outbox.

The timeline is append-only: an event is never edited. The next thing due is a stored,
indexed column (``Milestone.due_at`` over pending rows), so that the worker's scan stays cheap
as the table grows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from unisupport.accounts.models import Organisation
from unisupport.domain.incidents import Channel, IncidentKind, IncidentState, TimelineKind
from unisupport.domain.rca import RequestedVia
from unisupport.domain.sla import ClockKind, Severity

SEVERITIES = [(s.value, s.value) for s in Severity]


class Incident(models.Model):
    """A problem-resolution or advisory request, with its agreed severity and response clock."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="incidents", verbose_name=_("organisation")
    )
    order = models.ForeignKey(
        "orders.Order", on_delete=models.PROTECT, related_name="incidents", verbose_name=_("order")
    )
    site_country = models.CharField(_("support site"), max_length=2)
    site_timezone = models.CharField(_("time zone"), max_length=64)
    product = models.CharField(_("product"), max_length=120)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=[(k.value, k.value) for k in IncidentKind])
    channel = models.CharField(_("channel"), max_length=10, choices=[(c.value, c.value) for c in Channel])
    source_portal = models.CharField(_("source portal"), max_length=120, blank=True)  # INC-1
    # The Azure subscription affected, asked when MCS for Azure Platform applies (MCS-6).
    subscription = models.CharField(_("Azure subscription"), max_length=64, blank=True, default="")
    language = models.CharField(_("language"), max_length=8, default="en")  # SEV-10
    proposed_severity = models.CharField(_("proposed severity"), max_length=1, choices=SEVERITIES)  # SEV-1
    severity = models.CharField(_("severity"), max_length=1, choices=SEVERITIES)  # agreed (SEV-1)
    option_24x7 = models.BooleanField(_("24x7 option"), default=False)  # SEV-7, Sev B
    production_impact = models.BooleanField(_("production impact"), default=True)  # RCA-2
    state = models.CharField(
        _("state"),
        max_length=24,
        choices=[(s.value, s.value) for s in IncidentState],
        default=IncidentState.NEW,
    )
    contacts = models.JSONField(_("contacts"), default=list, blank=True)
    # RSP-6: how the vendor calls back the person who opened it (prefilled from their profile).
    callback_phone = models.CharField(_("callback phone"), max_length=40, blank=True, default="")
    callback_email = models.EmailField(_("callback e-mail"), blank=True, default="")
    opened_at = models.DateTimeField(_("opened at"))
    # SEV-8: the response time consumed before the last severity change, and when the current
    # clock started counting (the opening, or the last change).
    clock_started_at = models.DateTimeField(verbose_name=_("clock started at"))
    elapsed_before = models.DurationField(default=dt.timedelta(0), verbose_name=_("elapsed before"))
    # The response target and why (SEV-2..SEV-7), fixed when the severity is agreed.
    # Advisory requests (HRS-3) have no initial-response target: these stay empty for them.
    target_minutes = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("target minutes"))
    clock = models.CharField(
        max_length=10, choices=[(c.value, c.value) for c in ClockKind], blank=True, verbose_name=_("clock")
    )
    offering = models.CharField(max_length=60, blank=True, verbose_name=_("offering"))
    rules = models.JSONField(default=list, verbose_name=_("rules"))
    served_by = models.JSONField(default=list, verbose_name=_("served by"))  # offerings that cover it
    excluded = models.JSONField(
        default=list, verbose_name=_("excluded")
    )  # offerings that do not, with the rule (SEV-10, INC-1, INC-6)
    escalation = models.JSONField(default=dict, verbose_name=_("escalation"))  # INC-2..INC-5, INC-9
    response_due_at = models.DateTimeField(_("response due"), null=True, blank=True)
    # SEV-2/SEV-7: a response up to this instant still meets the target (the next opening when the
    # target ends at a closing: no business time elapses in between); the breach is recorded at it.
    response_counts_until = models.DateTimeField(_("response counts until"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    first_response_channel = models.CharField(
        max_length=10, blank=True, verbose_name=_("first response channel")
    )
    response_met = models.BooleanField(null=True, verbose_name=_("response met"))  # None while pending
    severity_at_due = models.CharField(
        max_length=1, blank=True, verbose_name=_("severity at due")
    )  # SEV-8: the severity judged
    mitigated_at = models.DateTimeField(null=True, blank=True, verbose_name=_("mitigated at"))
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("closed at"))
    assigned_engineer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assigned engineer"),
    )
    incident_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("incident manager"),
    )
    critical_situation_resource = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("critical situation resource"),
    )
    event = models.ForeignKey(
        "orders.EventCoverage", null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("event")
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("opened by"),
    )

    class Meta:
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["organisation", "opened_at"]),
            models.Index(fields=["order", "opened_at"]),
            # The vendor's lists (incidents.queue): newest first, by severity, and the open ones,
            # which the queue's default order reads first (a few hundred, whatever the history).
            models.Index(fields=["opened_at", "id"], name="incident_opened"),
            models.Index(fields=["severity", "opened_at", "id"], name="incident_severity_opened"),
            # By order: an agreement's open incidents (My customers) are found without its closed ones.
            models.Index(fields=["order"], condition=~Q(state="closed"), name="incident_open"),
        ]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return f"#{self.pk} Sev {self.severity} {self.title}"


# What each timeline kind is called on screen (the French uses the contract's words).
TIMELINE_KINDS: list[tuple[str, Any]] = [
    (kind.value, label)
    for kind, label in (
        (TimelineKind.OPENED, _("Opened")),
        (TimelineKind.OFFERING_EXCLUDED, _("Offering does not apply")),
        (TimelineKind.TARGET_SET, _("Response target set")),
        (TimelineKind.ESCALATION, _("Escalation started")),
        (TimelineKind.INCIDENT_MANAGER_ASSIGNED, _("Senior Incident Manager assigned")),
        (TimelineKind.CRITICAL_SITUATION_RESOURCE, _("Critical situation resource assigned")),
        (TimelineKind.SENIOR_MANAGEMENT_NOTIFIED, _("Senior management notified")),
        (TimelineKind.AUTOMATIC_ACKNOWLEDGEMENT, _("Automatic acknowledgement (does not stop the clock)")),
        (TimelineKind.CONTACT, _("Contact with the customer")),
        (TimelineKind.FIRST_RESPONSE, _("First response")),
        (TimelineKind.SEVERITY_CHANGED, _("Severity changed")),
        (TimelineKind.STATE_NEW, _("State: new")),
        (TimelineKind.STATE_IN_PROGRESS, _("State: in progress")),
        (TimelineKind.STATE_WAITING_ON_CUSTOMER, _("State: waiting on the customer")),
        (TimelineKind.STATE_MITIGATED, _("State: mitigated")),
        (TimelineKind.STATE_CLOSED, _("State: closed")),
        (TimelineKind.CUSTOMER_ACTION_REQUESTED, _("Customer action requested")),
        (TimelineKind.CUSTOMER_ACTION_RECEIVED, _("Customer answered")),
        (TimelineKind.CUSTOMER_OBLIGATION_MISSED, _("Customer obligation missed")),
        (TimelineKind.RESPONSE_WARNING, _("75 % of the response target elapsed")),
        (TimelineKind.RESPONSE_BREACHED, _("Response target missed")),
        (TimelineKind.RCA_REQUESTED, _("Root cause analysis requested")),
        (TimelineKind.RCA_DOCUMENT_ASKED, _("Document asked for the RCA")),
        (TimelineKind.RCA_DOCUMENT_PROVIDED, _("Document provided for the RCA")),
        (TimelineKind.RCA_DUE, _("Root cause analysis due")),
        (TimelineKind.RCA_DUE_MOVED, _("Root cause analysis due date moved")),
        (TimelineKind.DUE_RECOMPUTED, _("Due time recomputed (the calendar changed)")),
        (TimelineKind.POST_INCIDENT_REVIEW, _("Post-incident review requested")),
        (TimelineKind.DIAGNOSTICS_ASKED, _("Diagnostics asked of the customer")),
        (TimelineKind.DIAGNOSTICS_PROVIDED, _("Diagnostics provided by the customer")),
        (TimelineKind.ADVISORY_TIME, _("Advisory time logged")),
        (TimelineKind.COMMENTED, _("Comment")),
        (TimelineKind.FILE_ATTACHED, _("File attached")),
    )
]


class TimelineEvent(models.Model):
    """Something that happened to an incident: who, when, what, and the rule behind it. Never edited."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=40, choices=TIMELINE_KINDS)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)  # "system" for the worker
    rule = models.CharField(max_length=20, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["incident", "at"])]
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("timeline events are never edited")
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"


class MilestoneKind(models.TextChoices):
    """What falls due."""

    RESPONSE_WARNING = "response-warning", _("75 % of the response target elapsed")
    RESPONSE_BREACH = "response-breach", _("Response target breached")
    CUSTOMER_OBLIGATION = "customer-obligation", _("Customer obligation due (SEV-9)")
    RCA_DUE = "rca-due", _("Root cause analysis due")


class MilestoneState(models.TextChoices):
    PENDING = "pending", _("Pending")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Milestone(models.Model):
    """A due instant the worker acts on once: warn, record a breach, notify."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("incident")
    )
    kind = models.CharField(max_length=24, choices=MilestoneKind.choices, verbose_name=_("kind"))
    due_at = models.DateTimeField(verbose_name=_("due at"))
    state = models.CharField(
        max_length=10, choices=MilestoneState.choices, default=MilestoneState.PENDING, verbose_name=_("state")
    )
    processed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("processed at"))
    data = models.JSONField(default=dict, blank=True, verbose_name=_("data"))

    class Meta:
        indexes = [
            # The worker's scan: pending rows by due time. A partial index stays small however many
            # milestones are done.
            models.Index(fields=["due_at"], name="milestone_pending_due", condition=Q(state="pending")),
        ]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return f"{self.kind} @ {self.due_at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """An e-mail to send (the outbox). Its Message-ID is fixed when it is queued, so a resend after
    a crash carries the same ID and a mail system can recognise it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    # The outbox serves every part of the product: an incident's e-mails name it; others (a
    # delivery's) name none, their subject says what they are about.
    incident = models.ForeignKey(
        Incident,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("incident"),
    )
    milestone = models.ForeignKey(
        Milestone,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("milestone"),
    )
    recipient = models.EmailField(verbose_name=_("recipient"))
    subject = models.CharField(max_length=300, verbose_name=_("subject"))
    body = models.TextField(verbose_name=_("body"))
    message_id = models.CharField(max_length=200, unique=True, verbose_name=_("message ID"))
    # Further headers: a product communication's one-click unsubscribe (RSP-8, RFC 8058).
    headers = models.JSONField(default=dict, blank=True, verbose_name=_("headers"))
    created_at = models.DateTimeField(verbose_name=_("created at"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))
    # Quarantined: the message failed for its own content (an address or header the mail library
    # refuses, a recipient the server refuses). It waits for the back office, never blocking the rest.
    failed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("failed at"))
    error = models.TextField(blank=True, verbose_name=_("error"))

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(
                fields=["created_at"],
                name="notification_pending",
                condition=Q(sent_at__isnull=True, failed_at__isnull=True),
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["milestone", "recipient"], name="one_notification_per_recipient"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"


class RcaRequest(models.Model):
    """A root cause analysis request (RCA-1..RCA-4) and its delivery."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="rca_requests", verbose_name=_("incident")
    )
    requested_at = models.DateTimeField(verbose_name=_("requested at"))
    via = models.CharField(
        max_length=20, choices=[(v.value, v.value) for v in RequestedVia], verbose_name=_("via")
    )
    rule = models.CharField(max_length=10, verbose_name=_("rule"))
    due_at = models.DateTimeField(null=True, blank=True, verbose_name=_("due at"))
    note = models.TextField(blank=True, verbose_name=_("note"))
    delivered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("delivered at"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )

    class Meta:
        verbose_name = _("RCA request")
        verbose_name_plural = _("RCA requests")


class RcaDocument(models.Model):
    """RCA-5: a document the customer is asked for (logs, traces), and when it arrived."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    rca = models.ForeignKey(RcaRequest, on_delete=models.CASCADE, related_name="documents")
    what = models.CharField(max_length=200)
    asked_at = models.DateTimeField()
    provided_at = models.DateTimeField(null=True, blank=True)
    # The file that answered it, when it came through the conversation (it may also come by other
    # means: then it is only marked provided).
    attachment = models.ForeignKey(
        "Attachment", null=True, blank=True, on_delete=models.PROTECT, related_name="answers"
    )


class AdvisoryTimeEntry(models.Model):
    """Time spent on an advisory request (HRS-3: 6 hours per incident at most)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="advisory_time")
    hours = models.DecimalField(max_digits=5, decimal_places=2)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)


class PostIncidentReview(models.Model):
    """INC-8: a UER post-incident review of a Sev 1 incident, on request."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    incident = models.OneToOneField(
        Incident, on_delete=models.CASCADE, related_name="review", verbose_name=_("incident")
    )
    requested_at = models.DateTimeField(verbose_name=_("requested at"))
    scheduled_for = models.DateTimeField(null=True, blank=True, verbose_name=_("scheduled for"))
    held_at = models.DateTimeField(null=True, blank=True, verbose_name=_("held at"))
    notes = models.TextField(blank=True, verbose_name=_("notes"))

    class Meta:
        verbose_name = _("post-incident review")
        verbose_name_plural = _("post-incident reviews")


class AttainmentDay(models.Model):
    """First responses decided, met and pending, of the incidents opened on one UTC day, per order,
    kind, severity, offering and site: kept by the database itself (triggers on every insert, change
    and deletion of an incident, migration 0018), so that an SLA report reads a row a day and group
    whatever the number of incidents (issue 16)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    order = models.ForeignKey(
        "orders.Order", on_delete=models.CASCADE, related_name="+", verbose_name=_("order")
    )
    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=20)
    severity = models.CharField(_("severity"), max_length=1)
    offering = models.CharField(_("offering"), max_length=60)
    site_country = models.CharField(_("support site"), max_length=2)
    decided = models.IntegerField(_("first responses decided"), default=0)
    met = models.IntegerField(_("first responses in time"), default=0)
    pending = models.IntegerField(_("first responses pending"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["order", "day", "kind", "severity", "offering", "site_country"],
                name="attainment_day_group",
            )
        ]
        indexes = [models.Index(fields=["day"], name="attainment_day")]
        verbose_name = _("attainment by day")
        verbose_name_plural = _("attainment by day")


class RosterRole(models.TextChoices):
    """Who is on call for the roles the escalation assigns (INC-2, INC-4)."""

    CRITICAL_SITUATION = "critical-situation", _("Critical situation resource")
    SENIOR_INCIDENT_MANAGER = "senior-incident-manager", _("Senior Incident Manager")
    SENIOR_MANAGEMENT = "senior-management", _("Senior management notification list")


class RosterEntry(models.Model):
    """A person on a roster, for one offering or for every one (``offering`` empty); for an incident,
    the first active entry by priority of an offering that serves it is assigned, else of every offering."""

    role = models.CharField(max_length=30, choices=RosterRole.choices, verbose_name=_("role"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    offering = models.CharField(_("offering"), max_length=60, blank=True, default="")
    priority = models.PositiveIntegerField(default=0, verbose_name=_("priority"))
    active = models.BooleanField(default=True, verbose_name=_("active"))

    class Meta:
        ordering = ["role", "priority"]
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster entries")

    def __str__(self) -> str:
        return f"{self.role}: {self.user}"


class DiagnosticRequest(models.Model):
    """RSP-6: diagnostics the reactive contacts are asked to perform (a network trace, an error
    capture, a configuration), and when they were provided."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="diagnostics")
    what = models.CharField(_("diagnostics asked"), max_length=300)
    asked_at = models.DateTimeField()
    asked_by = models.CharField(max_length=150, blank=True)
    provided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["asked_at", "pk"]


class Comment(models.Model):
    """A message of an incident's conversation: seen by both sides, or an internal note of the vendor's
    staff that the customer never sees (not on the timeline, the API's customer answers, e-mails or webhooks)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="comments")
    at = models.DateTimeField(_("at"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(_("by"), max_length=150)
    text = models.TextField(_("comment"))
    internal = models.BooleanField(_("internal note"), default=False)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["incident", "at"], name="comment_incident_at")]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")


class Attachment(models.Model):
    """A file of an incident's conversation (a log, a trace, a screenshot, an RCA-5 document), stored
    outside the web root by its SHA-256 and served only to the incident's organisation and the vendor."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="attachments")
    number = models.PositiveIntegerField()  # 1, 2 … within the incident: the file's address
    name = models.CharField(_("file"), max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    at = models.DateTimeField(_("at"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(_("by"), max_length=150)
    internal = models.BooleanField(_("internal"), default=False)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "number"], name="unique_attachment_number")
        ]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
