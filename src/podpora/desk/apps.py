from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "podpora.desk"
    label = "desk"
    verbose_name = _("Konzole")

    def ready(self):
        from podpora.tickets import events

        from . import notifications

        if notifications.on_event not in events.listeners:
            events.listeners.append(notifications.on_event)
