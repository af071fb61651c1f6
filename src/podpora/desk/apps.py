from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "podpora.desk"
    label = "desk"
