from django.contrib import admin

from .models import Event, Ticket


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    """Read-only here, never deleted: tickets change only through the services (the console),
    so history stays whole."""

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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # deleting a ticket would delete its history, time entries and mail with it
        return False


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("ticket", "kind", "actor_label", "channel", "created_at")
    list_filter = ("kind",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
