"""Success plans in the database (SM-1..SM-3): an agreement's objectives and planned activities,
comments, and a snapshot of the whole plan at each change, so that two dates can be compared."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from unisupport.accounts.models import Organisation
from unisupport.domain.success import ObjectiveState
from unisupport.orders.models import Agreement


class SuccessPlan(models.Model):
    """The success plan of one agreement (SM-3), run by its CSAM."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    agreement = models.OneToOneField(Agreement, on_delete=models.PROTECT, related_name="success_plan")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("success plan")
        verbose_name_plural = _("success plans")

    def __str__(self) -> str:
        return f"{self.agreement.code}"


class Objective(models.Model):
    """One of the customer's objectives: a title, how it is measured, a target date, its outcome."""

    STATES = [(s.value, s.value) for s in ObjectiveState]

    plan = models.ForeignKey(SuccessPlan, on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(_("objective"), max_length=300)
    measure = models.CharField(_("measure"), max_length=300, blank=True)
    target = models.DateField(_("target date"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=STATES, default=ObjectiveState.OPEN)
    outcome = models.TextField(_("outcome (value validation)"), blank=True)

    class Meta:
        ordering = ["plan", "pk"]


class PlannedActivity(models.Model):
    """An activity of Annexe B planned for the customer (SM-2), with the services used to reach it."""

    plan = models.ForeignKey(SuccessPlan, on_delete=models.CASCADE, related_name="activities")
    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    domain = models.CharField(_("domain"), max_length=40)
    activity = models.CharField(_("activity"), max_length=60)
    description = models.TextField(_("description"), blank=True)
    done = models.BooleanField(_("done"), default=False)
    # The services used to reach it, where they exist in the product.
    delivery_id = models.PositiveBigIntegerField(null=True, blank=True)
    incident_id = models.PositiveBigIntegerField(null=True, blank=True)
    milestone_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "domain", "pk"]


class PlanComment(models.Model):
    """A comment on the plan, by the customer's administrator or the vendor."""

    plan = models.ForeignKey(SuccessPlan, on_delete=models.CASCADE, related_name="comments")
    at = models.DateTimeField()
    author = models.CharField(max_length=150)
    text = models.TextField()

    class Meta:
        ordering = ["at", "pk"]


class PlanRevision(models.Model):
    """The whole plan as it stood after one change: who, when, what (kept, never edited)."""

    plan = models.ForeignKey(SuccessPlan, on_delete=models.CASCADE, related_name="revisions")
    at = models.DateTimeField(db_index=True)
    by = models.CharField(max_length=150)
    what = models.CharField(max_length=300)
    snapshot = models.JSONField()

    class Meta:
        ordering = ["at", "pk"]
