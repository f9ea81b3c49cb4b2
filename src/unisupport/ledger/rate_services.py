"""Writes for rate cards (CRD-1) and credit exchange rates (MC-7): the YAML import."""

from __future__ import annotations

from django.db import transaction

from unisupport.catalog.models import ServiceRecord
from unisupport.domain.rates import parse_rates_yaml
from unisupport.ledger.models import ExchangeRate, RateCard, RateCardCredit


def import_rates(*, text: str) -> dict[str, dict[str, int]]:
    """Return how many rate cards and exchange rates the file created, updated or left unchanged.

    A card or rate is keyed by its site(s) and effective date: importing it again with other values
    updates it (a correction before it applies; entries already posted keep the rate they used, which
    they record). Nothing is written when any part of the file is invalid.
    """
    table = parse_rates_yaml(text, known_services=set(ServiceRecord.objects.values_list("code", flat=True)))
    counts = {
        "rate_cards": {"created": 0, "updated": 0, "unchanged": 0},
        "exchange_rates": {"created": 0, "updated": 0, "unchanged": 0},
    }
    with transaction.atomic():
        for card in table.rate_cards:
            row, created = RateCard.objects.get_or_create(site=card.site, effective_from=card.effective_from)
            current = {c.service_id: c.credits for c in row.credits.all()}
            wanted = dict(card.credits)
            outcome = "created" if created else ("unchanged" if current == wanted else "updated")
            if current != wanted:
                row.credits.all().delete()
                RateCardCredit.objects.bulk_create(
                    RateCardCredit(card=row, service_id=code, credits=value) for code, value in wanted.items()
                )
            counts["rate_cards"][outcome] += 1
        for rate in table.exchange_rates:
            values = {"rate": rate.rate, "fee_kind": rate.fee_kind.value, "fee": rate.fee}
            found = ExchangeRate.objects.filter(
                from_site=rate.from_site, to_site=rate.to_site, effective_from=rate.effective_from
            ).first()
            if found is None:
                ExchangeRate.objects.create(
                    from_site=rate.from_site,
                    to_site=rate.to_site,
                    effective_from=rate.effective_from,
                    **values,
                )
                counts["exchange_rates"]["created"] += 1
            elif (found.rate, found.fee_kind, found.fee) == (rate.rate, rate.fee_kind.value, rate.fee):
                counts["exchange_rates"]["unchanged"] += 1
            else:
                ExchangeRate.objects.filter(pk=found.pk).update(**values)
                counts["exchange_rates"]["updated"] += 1
    return counts
