from django.contrib import admin

from .models import OutboundMessage


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    list_display = ("message_id", "kind", "ticket", "status", "attempts", "created_at")
    list_filter = ("status", "kind")
