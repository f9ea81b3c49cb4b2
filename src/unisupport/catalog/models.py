"""The catalog in the database: loaded from the package's data files, editable in the admin."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from unisupport.domain.catalog import Category, Inclusion, ProductFamily, Unit


class ServiceRecord(models.Model):
    """A service of the catalog (CAT-1..CAT-3)."""

    code = models.SlugField(_("code"), max_length=60, primary_key=True)
    position = models.PositiveIntegerField(default=0, verbose_name=_("position"))
    name_fr = models.CharField(_("French name (source)"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    description_fr = models.TextField(_("French description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    category = models.CharField(_("category"), max_length=40, choices=[(c.value, c.value) for c in Category])
    inclusion = models.CharField(
        _("inclusion"), max_length=20, choices=[(i.value, i.mark) for i in Inclusion]
    )
    unit = models.CharField(_("unit"), max_length=20, choices=[(u.value, u.value) for u in Unit])
    unit_note_fr = models.CharField(max_length=200, blank=True, verbose_name=_("unit note (French)"))
    unit_note_en = models.CharField(max_length=200, blank=True, verbose_name=_("unit note (English)"))
    languages = models.JSONField(_("delivery languages (CAT-2)"), default=list, blank=True)
    not_sold_in = models.JSONField(_("not sold in (CAT-2)"), default=list, blank=True)
    provider = models.CharField(_("provider (CAT-3)"), max_length=100, default="Microsoft")
    provider_terms = models.TextField(blank=True, verbose_name=_("provider terms"))
    max_quantity = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, verbose_name=_("max quantity")
    )
    needs_vendor_acceptance = models.BooleanField(
        _("subject to resource availability (ORD-8)"), default=False
    )
    hour_block = models.BooleanField(_("hour block (HRS-1)"), default=False)
    allocation_eligible = models.BooleanField(_("flexible allocation may pay (FLX-3)"), default=True)
    source = models.CharField(max_length=60, blank=True, verbose_name=_("source"))
    rules = models.JSONField(default=list, blank=True, verbose_name=_("rules"))

    class Meta:
        ordering = ["position"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        # The admin's lists and choices name a service in the reader's language (the contract's French).
        french = (get_language() or "en").startswith("fr")
        return f"{self.code} — {self.name_fr if french else self.name_en}"


class ProductRecord(models.Model):
    """A Microsoft product or online service (ORD-10, SEV-3..6)."""

    name = models.CharField(_("name"), max_length=120, primary_key=True)
    family = models.CharField(_("family"), max_length=30, choices=[(f.value, f.value) for f in ProductFamily])
    flags = models.JSONField(default=list, blank=True, verbose_name=_("flags"))
    aliases = models.JSONField(default=list, blank=True, verbose_name=_("aliases"))
    support_portal = models.CharField(max_length=120, blank=True, verbose_name=_("support portal"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return self.name
