from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "unisupport.ledger"
    label = "ledger"
    verbose_name = "Entitlements ledger"
