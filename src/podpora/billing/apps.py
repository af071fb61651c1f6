from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "podpora.billing"
    label = "billing"
