from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboundMessage(models.Model):
    """Every e-mail we send, with its Message-ID, so replies thread back to the ticket."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("ve frontě")
        SENT = "sent", _("odesláno")
        FAILED = "failed", _("selhalo")
        SUPPRESSED = "suppressed", _("potlačeno")

    ticket = models.ForeignKey(
        "tickets.Ticket",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outbound_messages",
    )
    article = models.ForeignKey(
        "tickets.Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbound_messages",
    )
    kind = models.CharField(max_length=32)
    recipients = models.JSONField(default=list)
    subject = models.CharField(max_length=300)
    message_id = models.CharField(max_length=250, unique=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("odeslaný e-mail")
        verbose_name_plural = _("odeslané e-maily")
        indexes = [models.Index(fields=["ticket", "created_at"])]
