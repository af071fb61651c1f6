from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "podpora.portal"
    label = "portal"
