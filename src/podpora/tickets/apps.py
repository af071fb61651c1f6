from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "podpora.tickets"
    label = "tickets"
