"""Organisations, memberships (a person's role in an organisation) and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from unisupport.accounts.roles import OrganisationKind, Role, role_fits


class Organisation(models.Model):
    """A customer organisation, or the vendor itself."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.CUSTOMER
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's role in an organisation; a person may hold several roles."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="unique_membership")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} @ {self.organisation}"

    def clean(self) -> None:
        """Refuse a vendor role in a customer's organisation, or a customer role in the vendor's."""
        if self.organisation_id and not role_fits(self.role, self.organisation.kind):
            raise ValidationError(
                {
                    "role": _(
                        "a vendor role is held in the vendor's organisation, a customer role in a customer's"
                    )
                }
            )


class ApiToken(models.Model):
    """A bearer token for API clients. Only its SHA-256 is stored; the secret is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True, verbose_name=_("prefix"))
    digest = models.CharField(max_length=64, unique=True, verbose_name=_("digest"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    last_used_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last used at"))
    revoked = models.BooleanField(default=False, verbose_name=_("revoked"))

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @staticmethod
    def new_secret() -> str:
        """Return a fresh token secret: a short prefix for lookup display, then 32 random bytes."""
        return "us_" + secrets.token_urlsafe(32)

    @staticmethod
    def digest_of(secret: str) -> str:
        """Return the stored digest of a token secret."""
        return hashlib.sha256(secret.encode()).hexdigest()


class EngineerProfile(models.Model):
    """What a vendor engineer delivers (catalog codes) and in which languages, from which site (DEL-4, DEL-8).

    Scheduling a delivery with an engineer checks it: the service among their skills, the delivery's
    language among theirs, and no other booking of theirs at that time. Their absences are the
    closures of their site's calendar.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="engineer", verbose_name=_("user")
    )
    country = models.CharField(_("site (country)"), max_length=2)
    services = models.JSONField(_("services delivered (catalog codes)"), default=list)
    languages = models.JSONField(_("languages (ISO 639-1)"), default=list)

    class Meta:
        verbose_name = _("engineer profile")
        verbose_name_plural = _("engineer profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.country})"


class EngineerAbsence(models.Model):
    """Days a vendor engineer is away (leave, training): no delivery is scheduled with them then (DEL-4)."""

    engineer = models.ForeignKey(EngineerProfile, on_delete=models.CASCADE, related_name="absences")
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.CharField(_("recorded by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["engineer", "first_day"]
        indexes = [models.Index(fields=["engineer", "last_day"], name="absence_engineer_last_day")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")), name="absence_last_after_first"
            )
        ]

    def __str__(self) -> str:
        return f"{self.engineer} {self.first_day}..{self.last_day}"


class Preferences(models.Model):
    """A person's communication preferences: the language of their e-mails and whether they receive
    product and feature communications (RSP-8: anyone may opt out; the service notifications the
    contract needs — incident milestones, delivery changes — are not affected)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences"
    )
    language = models.CharField(
        _("language"), max_length=2, default="en", choices=[("en", "English"), ("fr", "Français")]
    )
    product_emails = models.BooleanField(_("product and feature communications"), default=True)
    # RSP-6: how the vendor calls this person back about an incident (prefilled on the incident form).
    phone = models.CharField(_("phone"), max_length=40, blank=True, default="")
    # The zone the portal shows this person's times in; empty means the site's own time zone.
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True, default="")
    # The service e-mails a person chose not to receive (accounts.preferences.OPTIONAL_KINDS).
    muted = models.JSONField(_("service e-mails turned off"), default=list, blank=True)
    # The one-click unsubscribe link's secret (RFC 8058): knowing it is enough to opt out, nothing more.
    unsubscribe_token = models.CharField(max_length=64, unique=True)
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("communication preferences")
        verbose_name_plural = _("communication preferences")


class Invitation(models.Model):
    """An invitation to join an organisation with a role: a one-time link, valid for 72 hours."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("organisation")
    )
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    # Only the token's SHA-256 is kept: the link in the e-mail is the one copy of the token.
    token_digest = models.CharField(max_length=64, unique=True, verbose_name=_("token digest"))
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    invited_by = models.CharField(_("invited by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")


class AccessChange(models.Model):
    """A change of who may do what in a customer's organisation (an invitation, a role, a
    deactivation): who made it and when, so that the vendor sees every change."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    at = models.DateTimeField(verbose_name=_("at"))
    by = models.CharField(max_length=150, verbose_name=_("by"))
    what = models.CharField(max_length=300, verbose_name=_("what"))

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("access change")
        verbose_name_plural = _("access changes")
