from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .rules import Channel, State, TicketType

TYPE_CHOICES = [
    (TicketType.INCIDENT, _("incident")),
    (TicketType.PROBLEM, _("problém")),
    (TicketType.BUG, _("chyba")),
    (TicketType.QUESTION, _("dotaz")),
    (TicketType.IMPLEMENTATION, _("pomoc při implementaci")),
    (TicketType.UPGRADE, _("pomoc při upgradu")),
    (TicketType.CHANGE, _("požadavek na změnu")),
    (TicketType.SERVICE, _("požadavek na službu")),
]
CHANNEL_CHOICES = [
    (Channel.PORTAL, _("portál")),
    (Channel.EMAIL, _("e-mail")),
    (Channel.PHONE, _("telefon")),
    (Channel.WEBFORM, _("webový formulář")),
    (Channel.API, _("API")),
    (Channel.FAX, _("fax")),
    (Channel.POST, _("pošta")),
]
STATE_CHOICES = [
    (State.NEW, _("nový")),
    (State.OPEN, _("v řešení")),
    (State.WAITING_CUSTOMER, _("čeká na zákazníka")),
    (State.WAITING_RELEASE, _("čeká na vydání opravy")),
    (State.RESOLVED, _("vyřešen")),
    (State.CLOSED, _("uzavřen")),
    (State.REJECTED, _("odmítnut")),
]
LEVEL_CHOICES = [(1, _("vysoká")), (2, _("střední")), (3, _("nízká"))]
#: the same levels for impact, which is masculine in Czech and Slovak ("dopad vysoký")
IMPACT_CHOICES = [
    (1, pgettext_lazy("dopad", "vysoký")),
    (2, pgettext_lazy("dopad", "střední")),
    (3, pgettext_lazy("dopad", "nízký")),
]
PRIORITY_CHOICES = [
    (1, _("kritická")),
    (2, _("vysoká")),
    (3, _("střední")),
    (4, _("nízká")),
    (5, _("plánovaná")),
]
ENTITLEMENT_CHOICES = [
    ("covered", _("v rámci smlouvy")),
    ("billable", _("placené")),
    ("rejected", _("mimo podporu")),
]


class TicketCounter(models.Model):
    """Per-vendor sequence so numbers stay short enough to read aloud on the phone."""

    vendor = models.OneToOneField(
        "customers.Vendor",
        verbose_name=_("dodavatel"),
        on_delete=models.CASCADE,
        primary_key=True,
    )
    last = models.PositiveIntegerField(default=0, verbose_name=_("poslední číslo"))

    class Meta:
        verbose_name = _("počítadlo čísel požadavků")
        verbose_name_plural = _("počítadla čísel požadavků")


class Ticket(models.Model):
    vendor = models.ForeignKey(
        "customers.Vendor",
        verbose_name=_("dodavatel"),
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    number = models.CharField(_("číslo"), max_length=24, unique=True)
    subject = models.CharField(_("předmět"), max_length=250)
    type = models.CharField(
        _("typ"), max_length=20, choices=TYPE_CHOICES, default=TicketType.QUESTION
    )
    channel = models.CharField(_("kanál"), max_length=10, choices=CHANNEL_CHOICES)
    state = models.CharField(_("stav"), max_length=20, choices=STATE_CHOICES, default=State.NEW)
    impact = models.PositiveSmallIntegerField(_("dopad"), choices=LEVEL_CHOICES, default=2)
    urgency = models.PositiveSmallIntegerField(_("naléhavost"), choices=LEVEL_CHOICES, default=2)
    priority = models.PositiveSmallIntegerField(_("priorita"), choices=PRIORITY_CHOICES, default=3)
    scope = models.CharField(_("oblast mimo běžnou podporu"), max_length=30, blank=True)
    language = models.CharField(_("jazyk"), max_length=8, default="cs")
    #: the language the request is written in (detected, or picked by the hotline); "" = language
    request_language = models.CharField(_("jazyk požadavku"), max_length=8, blank=True)

    organization = models.ForeignKey(
        "customers.Organization",
        verbose_name=_("organizace"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    contact = models.ForeignKey(
        "customers.Contact",
        verbose_name=_("kontaktní osoba"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    requester_email = models.EmailField(_("e-mail žadatele"), blank=True)
    requester_name = models.CharField(_("jméno žadatele"), max_length=160, blank=True)
    sender_verified = models.BooleanField(_("odesílatel ověřen"), default=True)
    cc = models.JSONField(_("v kopii"), default=list, blank=True)
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("produkt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    version = models.ForeignKey(
        "catalog.Version",
        verbose_name=_("verze"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    licence = models.ForeignKey(
        "customers.Licence",
        verbose_name=_("licence"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    implemented_function = models.ForeignKey(
        "customers.ImplementedFunction",
        verbose_name=_("implementovaná funkce"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    contract = models.ForeignKey(
        "customers.Contract",
        verbose_name=_("smlouva"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("tým"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    level = models.PositiveSmallIntegerField(_("úroveň řešení"), default=1)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("řešitel"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tickets",
    )
    fixed_in_release = models.ForeignKey(
        "catalog.Release",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fixed_tickets",
        verbose_name=_("opraveno ve vydání"),
    )
    cause = models.CharField(
        _("příčina"),
        max_length=16,
        blank=True,
        default="",
        choices=[
            ("", _("nezjištěna")),
            ("software", _("chyba programu")),
            ("configuration", _("chybná konfigurace")),
            ("operation", _("chyba obsluhy")),
            ("data", _("data zákazníka")),
            ("third_party", _("produkt třetí strany")),
        ],
    )
    #: a problem's root cause as the solvers found it (cloudempiere's problem management)
    root_cause = models.TextField(_("příčina problému"), blank=True, default="")
    #: the supplier confirmed the reported fault by a test (cloudempiere: only then is it fixed)
    bug_confirmed_at = models.DateTimeField(
        _("chyba ověřena testem"), null=True, blank=True, editable=False
    )
    #: the customer was asked for their data to analyse (Harmonik); the SLA waits for it
    waiting_for_data_since = models.DateTimeField(
        _("čeká na data zákazníka od"), null=True, blank=True, editable=False
    )
    #: the customer's data arrived: the resolution clock (3 working days) runs from here
    analysis_started_at = models.DateTimeField(
        _("data k analýze přijata"), null=True, blank=True, editable=False
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_tickets",
        verbose_name=_("sloučeno do"),
    )

    plan = models.ForeignKey(
        "customers.Plan",
        verbose_name=_("tarif"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    entitlement_status = models.CharField(
        max_length=10,
        choices=ENTITLEMENT_CHOICES,
        default="covered",
        verbose_name=_("nárok na podporu"),
    )
    entitlement_reason = models.CharField(max_length=40, blank=True, verbose_name=_("důvod nároku"))
    entitlement_detail = models.CharField(
        max_length=300, blank=True, verbose_name=_("podrobnosti nároku")
    )
    #: the reason's parameters (plan, dates, channel…), rendered in the reader's language
    entitlement_params = models.JSONField(default=dict, blank=True, verbose_name=_("údaje nároku"))
    entitlement_overridden = models.BooleanField(default=False, verbose_name=_("nárok určen ručně"))

    sla_policy = models.ForeignKey(
        "sla.SlaPolicy",
        verbose_name=_("SLA"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    first_response_target = models.CharField(
        max_length=16, blank=True, verbose_name=_("cíl první odpovědi")
    )
    resolution_target = models.CharField(max_length=16, blank=True, verbose_name=_("cíl vyřešení"))
    first_response_due = models.DateTimeField(_("termín první reakce"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("termín vyřešení"), null=True, blank=True)
    first_responded_at = models.DateTimeField(_("první reakce"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("vyřešeno"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("uzavřeno"))
    #: the customer closed it before it was resolved: no longer needed, so its clocks count
    #: neither as met nor as breached in the reports and the monthly account
    withdrawn_at = models.DateTimeField(null=True, blank=True, verbose_name=_("staženo zákazníkem"))
    sla_paused_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("SLA pozastaveno od")
    )
    sla_paused_seconds = models.BigIntegerField(
        default=0, verbose_name=_("SLA pozastaveno celkem (s)")
    )
    sla_next_check = models.DateTimeField(
        null=True, blank=True, verbose_name=_("příští kontrola SLA")
    )
    sla_warned_at = models.DateTimeField(null=True, blank=True, verbose_name=_("varování SLA"))
    sla_breached = models.BooleanField(_("SLA porušeno"), default=False)
    sla_breached_at = models.DateTimeField(null=True, blank=True, verbose_name=_("SLA porušeno"))

    public_token = models.CharField(
        max_length=64, blank=True, db_index=True, verbose_name=_("soukromý odkaz")
    )
    search_text = models.TextField(blank=True, editable=False, verbose_name=_("text pro hledání"))
    created_at = models.DateTimeField(_("vytvořeno"), db_index=True)
    updated_at = models.DateTimeField(_("změněno"))

    class Meta:
        verbose_name = _("požadavek")
        verbose_name_plural = _("požadavky")
        ordering = ["-created_at"]
        indexes = [
            # The lists' filters, then their order (newest first, id breaking ties): read
            # backwards, each gives a page of a list without sorting the matches.
            models.Index(fields=["vendor", "state", "created_at", "id"], name="ticket_queue"),
            models.Index(fields=["vendor", "created_at", "id"], name="ticket_vendor_recent"),
            models.Index(fields=["organization", "created_at", "id"], name="ticket_org"),
            models.Index(fields=["assignee", "state"], name="ticket_assignee"),
            models.Index(fields=["sla_next_check"], name="ticket_sla_next"),
            models.Index(fields=["resolution_due"], name="ticket_resolution_due"),
            models.Index(fields=["first_response_due"], name="ticket_first_response_due"),
            models.Index(fields=["vendor", "resolved_at"], name="ticket_resolved"),
            # the console's overviews: a team's queue, breached ones
            models.Index(fields=["team", "state"], name="ticket_team_state"),
            models.Index(fields=["sla_breached", "vendor", "state"], name="ticket_breached"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(impact__gte=1, impact__lte=3)
                & models.Q(urgency__gte=1, urgency__lte=3)
                & models.Q(priority__gte=1, priority__lte=5),
                name="ticket_levels_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"


class TicketLink(models.Model):
    class Kind(models.TextChoices):
        DUPLICATE = "duplicate", _("duplicita")
        CAUSED_BY = "caused_by", _("způsoben problémem")
        RELATED = "related", _("související")
        #: fixed by the fix of the target ticket (in the release that fixes it)
        FIXED_IN = "fixed_in", _("opraveno ve vydání opravy")

    source = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="links_out", verbose_name=_("požadavek")
    )
    target = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="links_in", verbose_name=_("souvisí s")
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, verbose_name=_("druh vazby"))
    created_at = models.DateTimeField(_("vytvořeno"), auto_now_add=True)

    class Meta:
        verbose_name = _("propojení požadavků")
        verbose_name_plural = _("propojení požadavků")
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="ticket_link_unique"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="ticket_link_not_self"
            ),
        ]


class Article(models.Model):
    """One entry of a ticket's communication."""

    class Kind(models.TextChoices):
        EMAIL_IN = "email_in", _("e-mail od zákazníka")
        EMAIL_OUT = "email_out", _("e-mail zákazníkovi")
        PORTAL = "portal", _("zpráva v portálu")
        PHONE = "phone", _("telefonát")
        NOTE = "note", _("interní poznámka")
        REMOTE = "remote", _("vzdálené připojení")
        WEBFORM = "webform", _("webový formulář")
        FAX = "fax", _("fax")
        POST = "post", _("dopis")

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("požadavek"), on_delete=models.CASCADE, related_name="articles"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, verbose_name=_("druh"))
    internal = models.BooleanField(_("interní"), default=False)
    from_customer = models.BooleanField(default=False, verbose_name=_("od zákazníka"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("autor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author_contact = models.ForeignKey(
        "customers.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("autor (kontakt)"),
    )
    sender = models.CharField(max_length=320, blank=True, verbose_name=_("odesílatel"))
    recipients = models.JSONField(default=list, blank=True, verbose_name=_("příjemci"))
    subject = models.CharField(max_length=250, blank=True, verbose_name=_("předmět"))
    body = models.TextField(blank=True, verbose_name=_("text"))
    body_html = models.TextField(
        blank=True, help_text="sanitised HTML, safe to render", verbose_name=_("text v HTML")
    )
    quoted = models.TextField(blank=True, verbose_name=_("citace"))
    message_id = models.CharField(
        max_length=250, blank=True, db_index=True, verbose_name=_("Message-ID")
    )
    remote_session_id = models.CharField(
        max_length=40, blank=True, verbose_name=_("vzdálené připojení")
    )
    duration_minutes = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("trvání (min)")
    )
    created_at = models.DateTimeField(
        _("vytvořeno"),
    )

    class Meta:
        verbose_name = _("zpráva požadavku")
        verbose_name_plural = _("zprávy požadavků")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="article_ticket")]


class Attachment(models.Model):
    article = models.ForeignKey(
        Article, verbose_name=_("zpráva"), on_delete=models.CASCADE, related_name="attachments"
    )
    blob = models.ForeignKey(
        "core.Blob", verbose_name=_("soubor"), on_delete=models.PROTECT, related_name="+"
    )
    filename = models.CharField(max_length=160, verbose_name=_("název souboru"))
    content_type = models.CharField(
        max_length=120, default="application/octet-stream", verbose_name=_("typ obsahu")
    )
    size = models.BigIntegerField(verbose_name=_("velikost (bajty)"))
    content_id = models.CharField(max_length=250, blank=True, verbose_name=_("Content-ID"))
    inline = models.BooleanField(default=False, verbose_name=_("vložena v textu"))

    class Meta:
        verbose_name = _("příloha")
        verbose_name_plural = _("přílohy")


class Event(models.Model):
    """Append-only history: who changed what, when and from which channel."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("požadavek"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=40, verbose_name=_("událost"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("kdo"),
    )
    actor_label = models.CharField(max_length=200, blank=True, verbose_name=_("kdo (jméno)"))
    channel = models.CharField(max_length=16, blank=True, verbose_name=_("kanál"))
    data = models.JSONField(default=dict, blank=True, verbose_name=_("údaje"))
    customer_visible = models.BooleanField(default=True, verbose_name=_("vidí zákazník"))
    created_at = models.DateTimeField(_("vytvořeno"), db_index=True)

    class Meta:
        verbose_name = _("záznam historie")
        verbose_name_plural = _("historie požadavků")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="event_ticket")]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("events are append-only")


from .quotes import Quote  # noqa: E402, F401  (the model lives with its rules)
