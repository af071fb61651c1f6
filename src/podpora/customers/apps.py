from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "podpora.customers"
    label = "customers"
