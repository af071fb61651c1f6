from django.db import models
from django.utils.translation import gettext_lazy as _

from podpora.core.fields import EncryptedTextField


class OutboundMessage(models.Model):
    """Every e-mail we send, with its Message-ID, so replies thread back to the ticket."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("ve frontě")
        DEFERRED = "deferred", _("odloženo, zkusí se znovu")
        SENT = "sent", _("odesláno")
        FAILED = "failed", _("selhalo")
        SUPPRESSED = "suppressed", _("potlačeno")

    ticket = models.ForeignKey(
        "tickets.Ticket",
        verbose_name=_("požadavek"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outbound_messages",
    )
    article = models.ForeignKey(
        "tickets.Article",
        verbose_name=_("zpráva"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbound_messages",
    )
    kind = models.CharField(max_length=32, verbose_name=_("druh"))
    recipients = models.JSONField(default=list, verbose_name=_("příjemci"))
    subject = models.CharField(max_length=300, verbose_name=_("předmět"))
    message_id = models.CharField(max_length=250, unique=True, verbose_name=_("Message-ID"))
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.QUEUED, verbose_name=_("stav")
    )
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("pokusy"))
    error = models.TextField(blank=True, verbose_name=_("chyba"))
    created_at = models.DateTimeField(_("vytvořeno"), auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("odesláno"))
    # The exact bytes and envelope, so a retry sends the same message (same Message-ID).
    raw_blob = models.ForeignKey(
        "core.Blob",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("zpráva"),
    )
    envelope_from = models.CharField(
        max_length=320, blank=True, verbose_name=_("obálkový odesílatel")
    )
    next_attempt_at = models.DateTimeField(null=True, blank=True, verbose_name=_("další pokus"))

    class Meta:
        verbose_name = _("odeslaný e-mail")
        verbose_name_plural = _("odeslané e-maily")
        indexes = [
            models.Index(fields=["ticket", "created_at"]),
            models.Index(
                fields=["next_attempt_at"],
                name="outbound_retry_due",
                condition=models.Q(status="deferred"),
            ),
        ]


class Mailbox(models.Model):
    """A vendor's support address read over IMAP (or named by the MTA pipe)."""

    class Security(models.TextChoices):
        TLS = "tls", _("TLS (implicitní, port 993)")
        STARTTLS = "starttls", _("STARTTLS")
        PLAIN = "plain", _("bez šifrování (jen pro testy)")

    class UnknownSenderPolicy(models.TextChoices):
        TICKET_UNVERIFIED = "ticket_unverified", _("založit požadavek s neověřeným odesílatelem")
        AUTOREPLY = "autoreply", _("odpovědět odkazem na portál a veřejný formulář")

    class ForeignReplyPolicy(models.TextChoices):
        NEW_TICKET = "new_ticket", _("založit nový požadavek")
        QUARANTINE = "quarantine", _("přesunout do karantény")

    vendor = models.ForeignKey(
        "customers.Vendor",
        verbose_name=_("dodavatel"),
        on_delete=models.CASCADE,
        related_name="mailboxes",
    )
    name = models.CharField(_("název"), max_length=120)
    address = models.EmailField(_("adresa"), unique=True)
    imap_host = models.CharField(_("IMAP server"), max_length=200, blank=True)
    imap_port = models.PositiveIntegerField(_("IMAP port"), default=993)
    imap_user = models.CharField(_("IMAP uživatel"), max_length=200, blank=True)
    imap_password = EncryptedTextField(_("IMAP heslo"), blank=True)
    imap_folder = models.CharField(_("složka"), max_length=200, default="INBOX")
    imap_security = models.CharField(
        _("zabezpečení"), max_length=10, choices=Security.choices, default=Security.TLS
    )
    processed_folder = models.CharField(
        _("složka pro zpracované zprávy"),
        max_length=200,
        blank=True,
        help_text=_("Prázdné = zpracované zprávy zůstanou ve složce a dostanou příznak."),
    )
    processed_flag = models.CharField(
        _("příznak zpracované zprávy"), max_length=60, default="\\Seen"
    )
    team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("tým"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("produkt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unknown_sender_policy = models.CharField(
        _("neznámý odesílatel"),
        max_length=20,
        choices=UnknownSenderPolicy.choices,
        default=UnknownSenderPolicy.TICKET_UNVERIFIED,
    )
    foreign_reply_policy = models.CharField(
        _("odpověď z cizí adresy"),
        max_length=20,
        choices=ForeignReplyPolicy.choices,
        default=ForeignReplyPolicy.NEW_TICKET,
    )
    is_active = models.BooleanField(_("aktivní"), default=True)
    last_polled_at = models.DateTimeField(_("naposledy staženo"), null=True, blank=True)
    last_error = models.CharField(_("poslední chyba"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("poštovní schránka")
        verbose_name_plural = _("poštovní schránky")
        ordering = ["vendor", "name"]

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>"

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.team_id and self.team.vendor_id != self.vendor_id:
            errors["team"] = _("Tým nepatří tomuto dodavateli.")
        if self.product_id and self.product.vendor_id != self.vendor_id:
            errors["product"] = _("Produkt nepatří tomuto dodavateli.")
        if errors:
            raise ValidationError(errors)


class InboundMessage(models.Model):
    """Every message we received, stored raw before anything else happens to it.

    `dedup_key` is the Message-ID ("mid:...") or, when there is none, the SHA-256 of the raw
    bytes ("sha256:..."); one row per key and mailbox makes a repeated delivery a no-op. A
    reused Message-ID with a different body gets "mid:...|<raw sha256>".
    """

    class State(models.TextChoices):
        RECEIVED = "received", _("přijato")
        PROCESSED = "processed", _("zpracováno")
        QUARANTINED = "quarantined", _("v karanténě")
        RELEASED = "released", _("uvolněno z karantény")
        IGNORED = "ignored", _("nezpracováno")

    mailbox = models.ForeignKey(
        Mailbox,
        verbose_name=_("schránka"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
    )
    # The vendor it was routed to (by its mailbox, or, without one, by a vendor's support
    # address among the recipients or the ticket it threads to): that vendor's staff see it,
    # also when no ticket was made.
    vendor = models.ForeignKey(
        "customers.Vendor",
        verbose_name=_("dodavatel"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message_id = models.CharField(
        max_length=250, blank=True, db_index=True, verbose_name=_("Message-ID")
    )
    dedup_key = models.CharField(max_length=330, verbose_name=_("klíč proti duplicitám"))
    raw_blob = models.ForeignKey(
        "core.Blob", on_delete=models.PROTECT, related_name="+", verbose_name=_("zpráva")
    )
    raw_sha256 = models.CharField(max_length=64, db_index=True, verbose_name=_("otisk zprávy"))
    # Relays add headers, never change the body: the body's digest tells a redelivery from
    # a sender that reuses one Message-ID for different messages.
    body_sha256 = models.CharField(max_length=64, blank=True, verbose_name=_("otisk textu"))
    size = models.BigIntegerField(verbose_name=_("velikost (bajty)"))
    state = models.CharField(
        _("stav"), max_length=12, choices=State.choices, default=State.RECEIVED
    )
    reason = models.CharField(_("důvod"), max_length=40, blank=True)
    detail = models.TextField(_("podrobnosti"), blank=True)  #: free text (an error's)
    #: what the outcome says, as a code of ``mail.evidence`` and its values
    detail_code = models.CharField(_("podrobnosti (kód)"), max_length=40, blank=True)
    detail_params = models.JSONField(_("podrobnosti (údaje)"), default=dict, blank=True)
    classification = models.CharField(_("druh zprávy"), max_length=16, blank=True)
    from_address = models.CharField(_("odesílatel"), max_length=320, blank=True)
    subject = models.CharField(_("předmět"), max_length=250, blank=True)
    ticket = models.ForeignKey(
        "tickets.Ticket",
        verbose_name=_("požadavek"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inbound_messages",
    )
    article = models.ForeignKey(
        "tickets.Article",
        verbose_name=_("zpráva"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inbound_messages",
    )
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("pokusy"))
    released_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uvolnil(a)"),
    )
    received_at = models.DateTimeField(_("přijato"), db_index=True)
    processed_at = models.DateTimeField(_("zpracováno"), null=True, blank=True)

    class Meta:
        verbose_name = _("přijatý e-mail")
        verbose_name_plural = _("přijaté e-maily")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["state", "received_at"], name="inbound_state")]
        constraints = [
            models.UniqueConstraint(
                fields=["mailbox", "dedup_key"],
                condition=models.Q(mailbox__isnull=False),
                name="inbound_unique_per_mailbox",
            ),
            models.UniqueConstraint(
                fields=["dedup_key"],
                condition=models.Q(mailbox__isnull=True),
                name="inbound_unique_pipe",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.message_id or self.raw_sha256[:12]} ({self.state})"

    @property
    def detail_text(self) -> str:
        """What the outcome says, in the reader's language (``mail.evidence``)."""
        from .evidence import text

        return text(self.detail_code, self.detail_params, self.detail)


class AutoReplyLog(models.Model):
    """One automatic mail we sent (acknowledgement, unknown-sender answer): the rate caps
    per address and per ticket count these rows."""

    address = models.CharField(max_length=320, db_index=True, verbose_name=_("adresa"))
    ticket = models.ForeignKey(
        "tickets.Ticket",
        verbose_name=_("požadavek"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(max_length=32, verbose_name=_("druh"))
    created_at = models.DateTimeField(_("vytvořeno"), db_index=True)

    class Meta:
        verbose_name = _("automatická odpověď")
        verbose_name_plural = _("automatické odpovědi")
        indexes = [models.Index(fields=["address", "created_at"], name="autoreply_address")]
