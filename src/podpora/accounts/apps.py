from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "podpora.accounts"
    label = "accounts"
