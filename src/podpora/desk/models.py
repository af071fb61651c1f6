"""The console's own records: views an agent saves (and shares) and notifications for agents."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedView(models.Model):
    """A queue filter an agent or manager named; ``shared`` shows it to the whole vendor."""

    vendor = models.ForeignKey(
        "customers.Vendor",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("dodavatel"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_views",
        verbose_name=_("vlastník"),
    )
    name = models.CharField(_("název"), max_length=80)
    #: the queue's filter parameters as the form cleans them (codes and ids, never labels)
    params = models.JSONField(default=dict, blank=True, verbose_name=_("filtry"))
    shared = models.BooleanField(_("sdílet s kolegy"), default=False)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("vytvořeno"))

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
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("komu"),
    )
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="+", verbose_name=_("požadavek")
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, verbose_name=_("druh"))
    actor_label = models.CharField(max_length=200, blank=True, verbose_name=_("kdo"))
    created_at = models.DateTimeField(verbose_name=_("vytvořeno"))
    read_at = models.DateTimeField(null=True, blank=True, verbose_name=_("přečteno"))

    class Meta:
        verbose_name = _("upozornění")
        verbose_name_plural = _("upozornění")
        indexes = [
            models.Index(fields=["recipient", "read_at", "created_at"], name="notification_unread"),
            models.Index(fields=["recipient", "created_at", "id"], name="notification_recent"),
        ]
