"""Signed webhooks in the database: the endpoints an organisation (or the vendor) registered, the
messages owed to each (one per event, with its stable ``webhook-id``), every attempt to deliver
them, and where the feed of each source stopped reading."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from unisupport.accounts.models import Organisation


class Endpoint(models.Model):
    """A URL that receives an organisation's events (the vendor's own tools: every organisation's)."""

    # NULL: the vendor's own endpoint, which receives every organisation's events.
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    url = models.URLField(_("URL"), max_length=2000)
    events = models.JSONField(_("events"), default=list, help_text=_("Empty: every event."))
    secret = models.CharField(max_length=100)
    # During a rotation the previous secret signs too, until ``previous_until``.
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_until = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    disabled_reason = models.CharField(_("why disabled"), max_length=300, blank=True)
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.CharField(_("created by"), max_length=150, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.url


class WebhookMessage(models.Model):
    """One event owed to one endpoint, delivered at least once under the same ``msg_id``."""

    endpoint = models.ForeignKey(Endpoint, on_delete=models.PROTECT, related_name="messages")
    msg_id = models.CharField(max_length=80)
    type = models.CharField(max_length=40)
    body = models.TextField()
    created_at = models.DateTimeField()
    # When to try (again); NULL once delivered or given up. Indexed: the worker reads what is due.
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    delivered_at = models.DateTimeField(null=True, blank=True)
    gave_up_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["endpoint", "msg_id"], name="one_message_per_event")]
        indexes = [models.Index(fields=["endpoint", "-created_at"], name="webhook_log")]


class Attempt(models.Model):
    """One request to an endpoint: its answer (or the error), how long it took, an excerpt."""

    message = models.ForeignKey(WebhookMessage, on_delete=models.CASCADE, related_name="tries")
    at = models.DateTimeField()
    status = models.PositiveIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField(default=0)
    excerpt = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]


class FeedCursor(models.Model):
    """Where the feed of one source of events stopped: the last row's id, or the last instant."""

    source = models.CharField(max_length=40, primary_key=True)
    last_id = models.BigIntegerField(default=0)
    last_at = models.DateTimeField(null=True, blank=True)
