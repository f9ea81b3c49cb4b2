from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "unisupport.accounts"
    label = "accounts"
    verbose_name = "Organisations and people"
