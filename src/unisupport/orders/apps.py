from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "unisupport.orders"
    label = "orders"
    verbose_name = "Agreements and orders"
