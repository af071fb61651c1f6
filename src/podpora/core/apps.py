from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "podpora.core"
    label = "core"
