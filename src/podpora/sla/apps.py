from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "podpora.sla"
    label = "sla"
