from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "unisupport.incidents"
    label = "incidents"
    verbose_name = "Reactive support"
