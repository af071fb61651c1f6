from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "podpora.mail"
    label = "mail"
