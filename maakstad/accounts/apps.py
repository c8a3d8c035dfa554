from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "maakstad.accounts"
    label = "accounts"
    verbose_name = "Accounts"
