from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "unisupport.webhooks"
    label = "webhooks"
    verbose_name = "Signed webhooks"
