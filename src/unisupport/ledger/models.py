"""The entitlements ledger in the database: accounts with a running balance, append-only entries,
CRD-3 approvals, rate cards and exchange rates (data with effective dates), idempotency keys.

The decisions are the domain's (:mod:`unisupport.domain.ledger`); these tables only keep them.
Every customer-owned row carries ``organisation`` so that the scope filter is one WHERE clause.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from unisupport import plainsql
from unisupport.accounts.models import Organisation
from unisupport.domain.errors import RuleViolation
from unisupport.domain.messages import Message, gettext_noop
from unisupport.orders.models import Order


class AccountKind(models.TextChoices):
    """What an account counts (the values are the domain's AccountKind)."""

    CREDITS = "credits", _("Proactive credits")
    HOURS = "hours", _("Hour block")
    ALLOCATION = "allocation", _("Flexible allocation")
    MONEY = "money", _("Money owed")
    EVENTS = "events", _("Events (MCS for Azure Events)")


class LedgerAccount(models.Model):
    """One balance of an order: a site's credits, an hour block, the allocation or money owed."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="ledger_accounts", verbose_name=_("order")
    )
    site = models.CharField(_("site"), max_length=2)
    kind = models.CharField(_("kind"), max_length=12, choices=AccountKind.choices)
    # "" rather than NULL when there is none: NULLs never collide in a unique constraint.
    service = models.CharField(_("service"), max_length=60, blank=True, default="")
    currency = models.CharField(_("currency"), max_length=3, blank=True, default="")
    # The running balance, updated in the transaction that writes each entry (a balance read is
    # one row); `ledger verify` checks it against the sum of the entries (CRD-4).
    balance = models.DecimalField(_("balance"), max_digits=20, decimal_places=2, default=0)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["order", "site", "kind", "service"]
        constraints = [
            models.UniqueConstraint(fields=["order", "site", "kind", "service"], name="unique_ledger_account")
        ]
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """Return the account's key, e.g. ``ESO-2026-001/DE/hours/enhanced-designated-engineering``."""
        parts = (self.order.number, self.site, self.kind, self.service)
        return "/".join(p for p in parts if p)


class CreditException(models.Model):
    """A CRD-3 approval: payment terms that let a service be scheduled on too few credits."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="credit_exceptions", verbose_name=_("order")
    )
    site = models.CharField(_("site"), max_length=2, blank=True, help_text=_("Empty: every site."))
    approved_by = models.CharField(_("approved by"), max_length=200)
    approved_at = models.DateTimeField(_("approved at"))
    terms = models.TextField(_("payment terms"))
    in_writing = models.BooleanField(_("approved in writing"), default=True)
    reference = models.CharField(_("written approval (reference)"), max_length=200, blank=True)
    credit_limit = models.DecimalField(
        _("credits allowed below zero"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    recorded_by = models.CharField(max_length=150, blank=True, verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("recorded at"))

    class Meta:
        ordering = ["-approved_at"]
        verbose_name = _("credit exception (CRD-3)")
        verbose_name_plural = _("credit exceptions (CRD-3)")

    def __str__(self) -> str:
        return f"{self.order.number} {self.site or '*'}: {self.approved_by} {self.approved_at:%Y-%m-%d}"


NEVER_UPDATED = gettext_noop("ledger entries are never updated: post a compensating entry")
NEVER_DELETED = gettext_noop("ledger entries are never deleted: post a compensating entry")


class EntryQuerySet(models.QuerySet["LedgerEntry"]):
    """Entries are never updated or deleted in bulk either (CRD-4)."""

    def update(self, **kwargs: Any) -> int:
        raise RuleViolation("CRD-4", Message(NEVER_UPDATED))

    def delete(self) -> tuple[int, dict[str, int]]:
        raise RuleViolation("CRD-4", Message(NEVER_DELETED))


class LedgerEntry(models.Model):
    """One immutable change to one account (CRD-4); ``serial`` is the order written."""

    serial = models.BigAutoField(primary_key=True, verbose_name=_("serial"))
    uid = models.CharField(_("entry"), max_length=36, unique=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    # The account's order again, so that an order's statement is one index range (order, serial).
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="+", verbose_name=_("order"))
    account = models.ForeignKey(
        LedgerAccount,
        on_delete=models.PROTECT,
        related_name="entries",
        db_index=False,
        verbose_name=_("account"),
    )
    amount = models.DecimalField(_("amount"), max_digits=20, decimal_places=2)
    balance_after = models.DecimalField(_("balance after"), max_digits=20, decimal_places=2)
    posted_at = models.DateTimeField(_("posted at"))
    effective_on = models.DateField(_("effective on"))
    actor = models.CharField(_("by"), max_length=150)
    reason = models.TextField(_("reason"))  # English: the audit text, as the CLI and the API show it
    # The reason's template and values ({"template", "params"}), so that the portal shows it in its
    # reader's language; null for rows written before, and for reasons that are not translatable.
    reason_i18n = models.JSONField(
        null=True, blank=True, editable=False, verbose_name=_("reason (translatable)")
    )
    rule = models.CharField(_("rule"), max_length=10)
    order_version = models.PositiveIntegerField(_("order version"))
    cause = models.CharField(_("cause"), max_length=200, blank=True)
    compensates = models.CharField(max_length=36, blank=True, verbose_name=_("compensates"))
    refunds = models.CharField(max_length=36, blank=True, verbose_name=_("refunds"))
    forfeits = models.CharField(max_length=36, blank=True, verbose_name=_("forfeits"))
    linked = models.CharField(max_length=36, blank=True, verbose_name=_("linked"))
    expires_on = models.DateField(_("usable until"), null=True, blank=True)
    exception = models.JSONField(
        null=True, blank=True, verbose_name=_("exception")
    )  # the CRD-3 approval, as applied
    exchange = models.JSONField(
        null=True, blank=True, verbose_name=_("exchange")
    )  # the MC-7 rate and fee, as applied
    credit_exception = models.ForeignKey(
        CreditException,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("credit exception"),
    )

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["serial"]
        indexes = [
            models.Index(fields=["account", "serial"], name="ledger_entry_account_serial"),
            models.Index(fields=["order", "serial"], name="ledger_entry_order_serial"),
            # The lots with a last day of use, for the check that none lapsed before a debit's day
            # (FLX-2, ORD-5) on the hot path: few entries carry one (grants, exchanged credits).
            models.Index(
                fields=["account", "expires_on"],
                name="ledger_entry_account_expiry",
                condition=models.Q(expires_on__isnull=False),
            ),
        ]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")

    def __str__(self) -> str:
        return f"#{self.serial} {self.amount:+} {self.rule}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not plainsql.is_new(self):
            raise RuleViolation("CRD-4", Message(NEVER_UPDATED))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuleViolation("CRD-4", Message(NEVER_DELETED))


class DailyMovement(models.Model):
    """An account's entries summed by their effective day: kept by the database itself (a trigger on
    every insert of an entry, migration 0006), so that a chart of the account reads a row a day
    whatever the number of its entries. Entries are never changed or deleted, so the sums only grow."""

    account = models.ForeignKey(
        LedgerAccount, on_delete=models.CASCADE, related_name="+", verbose_name=_("account")
    )
    day = models.DateField(_("day"))
    total = models.DecimalField(_("total"), max_digits=20, decimal_places=2, default=0)
    granted = models.DecimalField(  # what the order granted (entries caused by "order:…")
        _("granted"), max_digits=20, decimal_places=2, default=0
    )
    debited = models.BooleanField(_("debited"), default=False)  # a debit other than a forfeiture

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "day"], name="daily_movement_account_day")]
        verbose_name = _("daily movement")
        verbose_name_plural = _("daily movements")


class RateCard(models.Model):
    """The credits per unit of each service at a site's country, from ``effective_from`` on (CRD-1)."""

    site = models.CharField(_("site"), max_length=2)
    effective_from = models.DateField(_("effective from"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["site", "effective_from"]
        constraints = [models.UniqueConstraint(fields=["site", "effective_from"], name="unique_rate_card")]
        verbose_name = _("rate card")
        verbose_name_plural = _("rate cards")

    def __str__(self) -> str:
        return f"{self.site} from {self.effective_from}"


class RateCardCredit(models.Model):
    """The credits one unit of a service costs on a rate card."""

    card = models.ForeignKey(RateCard, on_delete=models.CASCADE, related_name="credits")
    service = models.ForeignKey("catalog.ServiceRecord", on_delete=models.PROTECT, related_name="+")
    credits = models.DecimalField(_("credits per unit"), max_digits=14, decimal_places=4)

    class Meta:
        ordering = ["card", "service"]
        constraints = [models.UniqueConstraint(fields=["card", "service"], name="unique_rate_card_service")]
        verbose_name = _("credit rate")
        verbose_name_plural = _("credit rates")

    def __str__(self) -> str:
        return f"{self.service_id}: {self.credits}"


class FeeKind(models.TextChoices):
    """How an exchange fee is expressed (MC-7 Reading)."""

    PERCENT = "percent", _("percentage")
    FLAT = "flat", _("flat, in credits")


class ExchangeRate(models.Model):
    """Converting credits of one site into another's, from ``effective_from`` on (MC-7)."""

    from_site = models.CharField(_("from site"), max_length=2)
    to_site = models.CharField(_("to site"), max_length=2)
    effective_from = models.DateField(_("effective from"))
    rate = models.DecimalField(_("rate"), max_digits=14, decimal_places=6)
    fee_kind = models.CharField(_("fee kind"), max_length=8, choices=FeeKind.choices, default=FeeKind.PERCENT)
    fee = models.DecimalField(_("fee"), max_digits=14, decimal_places=4, default=0)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["from_site", "to_site", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_site", "to_site", "effective_from"], name="unique_exchange_rate"
            )
        ]
        verbose_name = _("credit exchange rate")
        verbose_name_plural = _("credit exchange rates")

    def __str__(self) -> str:
        return f"{self.from_site}→{self.to_site} from {self.effective_from}: {self.rate}"


class IdempotencyKey(models.Model):
    """The first response to a POST sent with an ``Idempotency-Key``: a retry gets it back."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    key = models.CharField(max_length=200, verbose_name=_("key"))
    endpoint = models.CharField(max_length=200, verbose_name=_("endpoint"))
    fingerprint = models.CharField(
        max_length=64, verbose_name=_("fingerprint")
    )  # SHA-256 of the request body
    status = models.PositiveSmallIntegerField(verbose_name=_("status"))
    response = models.JSONField(verbose_name=_("response"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="unique_idempotency_key")]
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")

    def __str__(self) -> str:
        return f"{self.key} ({self.endpoint})"
