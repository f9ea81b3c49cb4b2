from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "unisupport.ledger"
    label = "ledger"
    verbose_name = _("Entitlements ledger")

    def ready(self) -> None:
        # SQLite's append-only triggers (migration 0008, CRD-4) ask this function whether the
        # connection is unlocked: only the `flush` command unlocks it (ledger/management/commands).
        connection_created.connect(_register_unlock_question, dispatch_uid="ledger-append-only")
        from unisupport.ledger.event_entitlements import charge_scenario_fee, return_event, take_event
        from unisupport.ledger.grants import grant_on_purchase
        from unisupport.ledger.models import RateCard, RateCardCredit
        from unisupport.ledger.order_facts import forget_orders
        from unisupport.ledger.sql import forget_rates
        from unisupport.orders.events import event_booked, event_fee_charged, event_returned, version_bought
        from unisupport.orders.models import Agreement, Order, OrderVersion, Site

        # An imported version or an accepted line is granted in the order's own transaction; orders
        # announce it rather than import the ledger (no cycle between the apps).
        version_bought.connect(grant_on_purchase, dispatch_uid="ledger-grant-on-purchase")
        # A booked event takes one of the events the order bought; one cancelled in time returns it.
        event_booked.connect(take_event, dispatch_uid="ledger-take-event")
        event_returned.connect(return_event, dispatch_uid="ledger-return-event")
        event_fee_charged.connect(charge_scenario_fee, dispatch_uid="ledger-charge-scenario-fee")

        # This process's caches of what postings read: an amendment saves the order (its current
        # version), a new version and its sites; a termination saves the agreement (ORD-2); a rates
        # import or an admin edit saves cards and rates.
        caches = [
            (forget_orders, (Agreement, Order, OrderVersion, Site)),
            (forget_rates, (RateCard, RateCardCredit)),
        ]
        for forget, models in caches:
            for model in models:
                for signal, name in ((post_save, "save"), (post_delete, "delete")):
                    uid = f"{forget.__name__}-{name}-{model.__name__}"
                    signal.connect(forget, sender=model, dispatch_uid=uid)


def _register_unlock_question(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "unisupport_ledger_unlocked", 0, lambda: 1 if getattr(connection, "ledger_unlocked", False) else 0
        )
