from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "unisupport.catalog"
    label = "catalog"
    verbose_name = "Catalog"
