from django.contrib import admin

from unisupport.catalog.models import ProductRecord, ServiceRecord


@admin.register(ServiceRecord)
class ServiceRecordAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_fr", "category", "inclusion", "unit", "provider"]
    list_filter = ["category", "inclusion", "unit", "needs_vendor_acceptance", "hour_block"]
    search_fields = ["code", "name_en", "name_fr"]
    ordering = ["position"]


@admin.register(ProductRecord)
class ProductRecordAdmin(admin.ModelAdmin):
    list_display = ["name", "family", "support_portal"]
    list_filter = ["family"]
    search_fields = ["name"]
