from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "unisupport.catalog"
    label = "catalog"
    verbose_name = _("Catalog")

    def ready(self) -> None:
        from unisupport.catalog.models import ProductRecord, ServiceRecord
        from unisupport.catalog.selectors import forget_catalog

        for model in (ServiceRecord, ProductRecord):
            post_save.connect(
                forget_catalog, sender=model, dispatch_uid=f"forget-catalog-save-{model.__name__}"
            )
            post_delete.connect(
                forget_catalog, sender=model, dispatch_uid=f"forget-catalog-delete-{model.__name__}"
            )
