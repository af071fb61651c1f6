from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from podpora.core.adminmixins import NoWrites

from . import history
from .models import Event, Ticket


@admin.register(Ticket)
class TicketAdmin(NoWrites, admin.ModelAdmin):
    """Read-only here, never deleted (its history, time entries and mail would go with it):
    tickets change only through the services (the console), so history stays whole."""

    list_display = (
        "number",
        "subject",
        "vendor",
        "organization",
        "state",
        "priority",
        "created_at",
    )
    list_filter = ("vendor", "state", "priority", "channel")
    search_fields = ("number", "subject")
    list_select_related = ("vendor", "organization")


@admin.register(Event)
class EventAdmin(NoWrites, admin.ModelAdmin):
    list_display = ("number", "what", "who", "via", "when")
    list_select_related = ("ticket",)
    search_fields = ("ticket__number",)

    @admin.display(description=_("požadavek"), ordering="ticket__number")
    def number(self, event):
        return event.ticket.number

    @admin.display(description=_("co se stalo"))
    def what(self, event):
        return history.describe(event)

    @admin.display(description=_("kdo"))
    def who(self, event):
        return event.actor_label or _("Systém")

    @admin.display(description=_("kanál"))
    def via(self, event):
        return history.channel_label(event.channel)

    @admin.display(description=_("kdy"), ordering="created_at")
    def when(self, event):
        return history.when(event.created_at)
