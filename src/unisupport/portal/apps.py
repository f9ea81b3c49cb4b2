from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "unisupport.portal"
    label = "portal"
    verbose_name = "Portal"
