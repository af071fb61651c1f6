"""What changed in a vendor's configuration: who, when, which object, before and after."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ChangeRecord(models.Model):
    class Action(models.TextChoices):
        ADD = "add", _("přidání")
        CHANGE = "change", _("změna")
        DELETE = "delete", _("smazání")

    vendor = models.ForeignKey(
        "customers.Vendor",
        verbose_name=_("dodavatel"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("kdo"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("kdy"), default=timezone.now, db_index=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("druh záznamu"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("identifikátor záznamu"), max_length=40)
    object_repr = models.CharField(_("záznam"), max_length=200)
    action = models.CharField(_("úkon"), max_length=8, choices=Action.choices)
    before = models.JSONField(_("předtím"), null=True, blank=True)
    after = models.JSONField(_("potom"), null=True, blank=True)

    class Meta:
        verbose_name = _("záznam změny")
        verbose_name_plural = _("záznamy změn")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["vendor", "content_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.object_repr}"
