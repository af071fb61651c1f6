from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from podpora.tickets import history

from .models import AutoReplyLog, InboundMessage, Mailbox, OutboundMessage


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    list_display = ("subject", "ticket", "status", "attempts", "created_at")
    list_filter = ("status",)
    search_fields = ("subject", "message_id")


class MailboxForm(forms.ModelForm):
    """The IMAP password is never rendered back; an empty field keeps the stored one."""

    class Meta:
        model = Mailbox
        fields = [
            "vendor", "name", "address", "imap_host", "imap_port", "imap_security",
            "imap_user", "imap_password", "imap_folder", "processed_folder", "processed_flag",
            "team", "product", "unknown_sender_policy", "foreign_reply_policy", "is_active",
        ]  # fmt: skip
        widgets = {"imap_password": forms.PasswordInput(render_value=False)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        password = self.fields["imap_password"]
        password.required = False
        password.strip = False  # a password may begin or end with a space
        password.help_text = _("Uložené heslo se nezobrazuje; prázdné pole ho ponechá.")

    def clean_imap_password(self):
        value = self.cleaned_data.get("imap_password")
        return value or (self.instance.imap_password if self.instance.pk else "")


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    form = MailboxForm
    list_display = ("address", "name", "vendor", "imap_host", "is_active", "last_polled_at")
    list_filter = ("is_active", "vendor")
    readonly_fields = ("last_polled_at", "last_error")


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    list_display = ("received_at", "from_address", "subject", "state", "why", "ticket")
    exclude = ("detail", "detail_code", "detail_params")
    readonly_fields = ("details",)
    list_filter = ("state",)
    search_fields = ("message_id", "from_address", "subject", "raw_sha256")
    raw_id_fields = ("ticket", "article", "raw_blob", "released_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a record of what arrived; the quarantine console acts on it

    @admin.display(description=_("důvod"))
    def why(self, message):
        return history.reason_text(message.reason) if message.reason else "–"

    @admin.display(description=_("podrobnosti"))
    def details(self, message):
        return message.detail_text or "–"


@admin.register(AutoReplyLog)
class AutoReplyLogAdmin(admin.ModelAdmin):
    list_display = ("created_at", "address", "ticket")
    search_fields = ("address",)
    raw_id_fields = ("ticket",)
