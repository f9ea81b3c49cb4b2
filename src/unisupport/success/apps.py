from django.apps import AppConfig


class SuccessConfig(AppConfig):
    name = "unisupport.success"
    label = "success"
    verbose_name = "Customer success"
