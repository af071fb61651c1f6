from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "podpora.api"
    label = "api"
