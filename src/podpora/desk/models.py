"""The console's own records: views an agent saves (and shares) and notifications for agents."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedView(models.Model):
    """A queue filter an agent or manager named; ``shared`` shows it to the whole vendor."""

    vendor = models.ForeignKey(
        "customers.Vendor", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views"
    )
    name = models.CharField(_("název"), max_length=80)
    #: the queue's filter parameters as the form cleans them (codes and ids, never labels)
    params = models.JSONField(default=dict, blank=True)
    shared = models.BooleanField(_("sdílet s kolegy"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("uložený pohled")
        verbose_name_plural = _("uložené pohledy")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["vendor", "shared"], name="savedview_vendor")]

    def __str__(self) -> str:
        return self.name


class Notification(models.Model):
    """Something new for one agent about one ticket; written only by ``desk.notifications``."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("přidělen vám")
        CUSTOMER_REPLIED = "customer_replied", _("zákazník odpověděl")
        SLA_WARNING = "sla_warning", _("blíží se termín SLA")
        SLA_BREACHED = "sla_breached", _("SLA porušeno")
        MENTION = "mention", _("zmínka v poznámce")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor_label = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("upozornění")
        verbose_name_plural = _("upozornění")
        indexes = [
            models.Index(fields=["recipient", "read_at", "created_at"], name="notification_unread"),
            models.Index(fields=["recipient", "created_at", "id"], name="notification_recent"),
        ]
