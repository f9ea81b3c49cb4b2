"""The worker's heartbeat: when a long-running process last finished a pass."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """The last pass of one long-running process (the worker), for /health/ready to judge it alive."""

    name = models.CharField(_("process"), max_length=40, primary_key=True)
    beat_at = models.DateTimeField(_("last pass at"))
    passes = models.PositiveBigIntegerField(_("passes"), default=0)

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")
