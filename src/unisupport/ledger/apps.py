from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class LedgerConfig(AppConfig):
    name = "unisupport.ledger"
    label = "ledger"
    verbose_name = "Entitlements ledger"

    def ready(self) -> None:
        from unisupport.ledger.posting import forget_orders
        from unisupport.orders.models import Order, OrderVersion, Site

        # An amendment saves the order (its current version), a new version and its sites.
        for model in (Order, OrderVersion, Site):
            for signal, name in ((post_save, "save"), (post_delete, "delete")):
                signal.connect(
                    forget_orders, sender=model, dispatch_uid=f"forget-orders-{name}-{model.__name__}"
                )
