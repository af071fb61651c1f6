from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower, Upper
from django.utils.translation import gettext_lazy as _

from .validators import validate_dic, validate_ico

CHANNEL_CHOICES = [
    ("portal", _("portál")),
    ("email", _("e-mail")),
    ("phone", _("telefon")),
    ("webform", _("webový formulář")),
    ("api", _("API")),
    ("remote", _("vzdálený přístup")),
    ("fax", _("fax")),
    ("post", _("pošta")),
]


def in_language(row, field: str, language: str | None = None) -> str:
    """A text a vendor writes in three languages: ``field`` is the Czech one, ``field_sk`` and
    ``field_en`` the others; in ``language`` (default: the active one), Czech when empty."""
    from django.utils import translation

    lang = (language or translation.get_language() or "cs")[:2]
    own = getattr(row, f"{field}_{lang}") if lang in ("sk", "en") else ""
    return own or getattr(row, field)


class Vendor(models.Model):
    """A software vendor running its support centre here; products, plans and staff hang off it."""

    slug = models.SlugField(_("zkratka"), unique=True)
    name = models.CharField(_("název"), max_length=200)
    ticket_prefix = models.CharField(_("předpona čísla požadavku"), max_length=8, unique=True)
    support_email = models.EmailField(_("e-mail podpory"), blank=True)
    support_phone = models.CharField(_("telefon hotline"), max_length=40, blank=True)
    languages = models.JSONField(_("obsluhované jazyky"), default=list, blank=True)
    calendar = models.ForeignKey(
        "sla.BusinessCalendar",
        verbose_name=_("pracovní kalendář"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    forum_enabled = models.BooleanField(
        _("uživatelské fórum"),
        default=False,
        help_text=_("Zákazníci a pracovníci dodavatele spolu mluví ve fóru (jen když je zapnuté)."),
    )
    forum_moderators = models.ManyToManyField(
        "accounts.User",
        verbose_name=_("moderátoři fóra"),
        blank=True,
        related_name="moderated_vendors",
        help_text=_(
            "Kdo smí ve fóru skrývat příspěvky, zamykat a připínat témata. Když nikoho "
            "nevyberete, moderují všichni pracovníci dodavatele."
        ),
    )
    quotes_by_customer_admin = models.BooleanField(
        _("nabídky schvaluje jen správce zákazníka"),
        default=False,
        help_text=_("Nabídku na změnu schvaluje jen správce zákazníka, ne každá oprávněná osoba."),
    )
    problem_resolves_incidents = models.BooleanField(
        _("vyřešený problém vyřeší i jeho incidenty"),
        default=False,
        help_text=_(
            "Vyřešením problému se vyřeší i incidenty, které způsobil; jinak se jejich "
            "zákazníkům jen oznámí, že příčina je odstraněna."
        ),
    )
    configuration_not_emergency = models.BooleanField(
        _("chybná konfigurace není havárie"),
        default=False,
        help_text=_("Porucha způsobená chybnou konfigurací nikdy nedostane kritickou prioritu."),
    )
    price_list_rate = models.DecimalField(
        _("hodinová sazba ceníku (Kč bez DPH)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
    )
    start_plan = models.ForeignKey(
        "customers.Plan",
        verbose_name=_("tarif přidělený automaticky při aktivaci licence"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    warranty_plan = models.ForeignKey(
        "customers.Plan",
        verbose_name=_("záruční servis pro licence bez smlouvy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    public_plan = models.ForeignKey(
        "customers.Plan",
        verbose_name=_("veřejný formulář (pro kohokoli)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("dodavatel")
        verbose_name_plural = _("dodavatelé")

    def __str__(self) -> str:
        return self.name


class Organization(models.Model):
    class Stage(models.TextChoices):
        PROSPECT = "prospect", _("potenciální zákazník")
        IMPLEMENTATION = "implementation", _("v implementaci")
        CUSTOMER = "customer", _("zákazník")
        FORMER = "former", _("bývalý zákazník")

    vendor = models.ForeignKey(
        Vendor,
        verbose_name=_("dodavatel"),
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    name = models.CharField(_("název"), max_length=200)
    ico = models.CharField(_("IČO"), max_length=8, blank=True, validators=[validate_ico])
    dic = models.CharField(_("DIČ"), max_length=14, blank=True, validators=[validate_dic])
    address = models.TextField(
        _("poštovní adresa"),
        blank=True,
        help_text=_("ulice a číslo, PSČ a obec; na zálohové faktuře a v dopisech"),
    )
    stage = models.CharField(
        _("stav"), max_length=16, choices=Stage.choices, default=Stage.CUSTOMER
    )
    language = models.CharField(_("jazyk"), max_length=8, default="cs")
    email_domains = models.JSONField(_("e-mailové domény"), default=list, blank=True)
    created_at = models.DateTimeField(_("vytvořeno"), auto_now_add=True)

    class Meta:
        verbose_name = _("organizace")
        verbose_name_plural = _("organizace")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "ico"],
                condition=~models.Q(ico=""),
                name="organization_unique_ico",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    class Role(models.TextChoices):
        AUTHORISED = "authorised", _("oprávněná osoba")
        CUSTOMER_ADMIN = "customer_admin", _("správce zákazníka")
        END_USER = "end_user", _("koncový uživatel")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organizace"),
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uživatel"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact",
    )
    first_name = models.CharField(_("jméno"), max_length=80)
    last_name = models.CharField(_("příjmení"), max_length=80)
    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    language = models.CharField(_("jazyk"), max_length=8, default="cs")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.AUTHORISED)
    sees_all_tickets = models.BooleanField(_("vidí všechny požadavky organizace"), default=True)
    is_active = models.BooleanField(_("aktivní"), default=True)
    news_by_email = models.BooleanField(_("posílat novinky e-mailem"), default=False)
    #: False: registered by the hotline from a call (HR Plus), until the customer admin confirms
    confirmed = models.BooleanField(_("potvrzena správcem zákazníka"), default=True)
    #: the hotline's look-up (desk/lookup.py): the name folded, " jan novak ", so that a word's
    #: beginning is " nov" whatever the diacritics and case; and the phone number in E.164
    name_key = models.CharField(
        max_length=170, blank=True, editable=False, verbose_name=_("jméno pro hledání")
    )
    phone_key = models.CharField(
        max_length=20,
        blank=True,
        editable=False,
        db_index=True,
        verbose_name=_("telefon pro hledání"),
    )

    class Meta:
        verbose_name = _("kontaktní osoba")
        verbose_name_plural = _("kontaktní osoby")
        ordering = ["last_name", "first_name"]
        # incoming mail finds its sender by address, whatever its case (see by_email)
        indexes = [models.Index(Lower("email"), name="contact_email_lower")]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    #: the look-up's keys follow these fields on every save (see set_keys)
    KEYED_FIELDS = frozenset({"first_name", "last_name", "phone"})

    def save(self, *args, **kwargs):
        self.set_keys()
        fields = kwargs.get("update_fields")
        if fields is not None and self.KEYED_FIELDS & set(fields):
            kwargs["update_fields"] = set(fields) | {"name_key", "phone_key"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def set_keys(self) -> None:
        """The look-up's keys from the name and phone (bulk_create callers call this)."""
        from .identify import person_key
        from .phones import normalize

        self.name_key = person_key(self.first_name, self.last_name)
        self.phone_key = normalize(self.phone)

    @classmethod
    def by_email(cls, address: str):
        """Contacts with this address in any case (uses the index on LOWER(email))."""
        return cls.objects.alias(email_lower=Lower("email")).filter(
            email_lower=(address or "").lower()
        )

    @classmethod
    def by_email_in(cls, addresses):
        return cls.objects.alias(email_lower=Lower("email")).filter(
            email_lower__in=[a.lower() for a in addresses if a]
        )


class ImplementedFunction(models.Model):
    """A function (module) the customer is implementing now: during implementation HR Plus's
    phone serves these only. Staff keep the list on the organisation."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organizace"),
        on_delete=models.CASCADE,
        related_name="implemented_functions",
    )
    name = models.CharField(_("funkce"), max_length=120)
    active = models.BooleanField(_("právě se implementuje"), default=True)

    class Meta:
        verbose_name = _("implementovaná funkce")
        verbose_name_plural = _("implementované funkce")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="implemented_function_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Licence(models.Model):
    vendor = models.ForeignKey(
        Vendor, verbose_name=_("dodavatel"), on_delete=models.PROTECT, related_name="licences"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organizace"),
        on_delete=models.CASCADE,
        related_name="licences",
    )
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("produkt"),
        on_delete=models.PROTECT,
        related_name="licences",
    )
    number = models.CharField(_("licenční číslo"), max_length=40)
    activated_on = models.DateField(_("datum aktivace"), null=True, blank=True)
    max_version_date = models.DateField(_("max. datum verze"), null=True, blank=True)
    activation_code_hash = models.CharField(
        max_length=128, blank=True, editable=False, verbose_name=_("otisk aktivačního kódu")
    )
    activation_code_used_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("aktivační kód použit")
    )
    renewal_offered_at = models.DateTimeField(
        _("nabídka HOTLINE po STARTu odeslána"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("licence")
        verbose_name_plural = _("licence")
        # the hotline finds a licence by its number in whatever case it was read out
        indexes = [models.Index(models.F("vendor"), Upper("number"), name="licence_number_upper")]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "number"], name="licence_unique_number")
        ]

    def __str__(self) -> str:
        return self.number


class Plan(models.Model):
    """A kind of support contract and its terms; entitlements.py reads these as PlanTerms."""

    class Kind(models.TextChoices):
        IMPLEMENTATION = "implementation", _("implementace")
        MAINTENANCE = "maintenance", _("smlouva o údržbě a podpoře")
        ONE_TIME = "one_time", _("jednorázová objednávka")
        START = "start", _("úvodní podpora (START)")
        WARRANTY = "warranty", _("záruční servis")
        PROSPECT = "prospect", _("potenciální zákazník")
        BASIC = "basic", _("základní podpora")

    class Billing(models.TextChoices):
        NONE = "none", _("nefakturuje se")
        PREPAID = "prepaid", _("z předplaceného balíku")
        PRICE_LIST = "price_list", _("podle ceníku")
        PREPAID_THEN_PRICE_LIST = "prepaid_then_price_list", _("z balíku, pak podle ceníku")

    vendor = models.ForeignKey(
        Vendor, verbose_name=_("dodavatel"), on_delete=models.CASCADE, related_name="plans"
    )
    code = models.SlugField(_("kód"), max_length=40)
    name = models.CharField(_("název"), max_length=120)
    kind = models.CharField(_("druh"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("popis"), blank=True)
    channels = models.JSONField(_("kanály zahrnuté ve smlouvě"), default=list, blank=True)
    billable_channels = models.JSONField(_("placené kanály"), default=list, blank=True)
    covered_types = models.JSONField(
        _("kryté typy požadavků (prázdné = všechny)"), default=list, blank=True
    )
    excluded_scopes = models.JSONField(_("nepokrývá"), default=list, blank=True)
    billable_scopes = models.JSONField(_("za úplatu"), default=list, blank=True)
    languages = models.JSONField(_("jazyky (prázdné = všechny)"), default=list, blank=True)
    require_supported_version = models.BooleanField(_("jen podporované verze"), default=True)
    require_identification = models.BooleanField(
        _("vyžaduje identifikaci zákazníka a osoby"), default=False
    )
    require_version_stated = models.BooleanField(_("vyžaduje uvedení verze"), default=False)
    serves_end_users = models.BooleanField(_("obsluhuje i koncové uživatele"), default=False)
    billing_mode = models.CharField(
        _("fakturace mimo rozsah"), max_length=30, choices=Billing.choices, default=Billing.NONE
    )
    hourly_rate = models.DecimalField(
        _("hodinová sazba (Kč bez DPH)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    sla_policy = models.ForeignKey(
        "sla.SlaPolicy", verbose_name=_("SLA"), null=True, blank=True, on_delete=models.SET_NULL
    )
    duration_months = models.PositiveSmallIntegerField(_("délka (měsíce)"), null=True, blank=True)
    free_call_minutes = models.PositiveIntegerField(
        _("bezplatné telefonické konzultace (minut za období)"),
        null=True,
        blank=True,
        help_text=_(
            "Prázdné = hovory v rámci smlouvy bez omezení. Hovory nad tento rozsah se čerpají "
            "z předplaceného balíku, pak se účtují sazbou ceníku."
        ),
    )
    free_call_period = models.CharField(
        _("období bezplatných konzultací"),
        max_length=5,
        choices=[("month", _("kalendářní měsíc")), ("year", _("kalendářní rok"))],
        default="month",
    )

    class Meta:
        verbose_name = _("tarif")
        verbose_name_plural = _("tarify")
        constraints = [models.UniqueConstraint(fields=["vendor", "code"], name="plan_unique_code")]

    def __str__(self) -> str:
        return self.name


class Contract(models.Model):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organizace"),
        on_delete=models.CASCADE,
        related_name="contracts",
    )
    plan = models.ForeignKey(
        Plan, verbose_name=_("tarif"), on_delete=models.PROTECT, related_name="contracts"
    )
    number = models.CharField(_("číslo smlouvy"), max_length=40, blank=True)
    valid_from = models.DateField(_("platnost od"))
    valid_to = models.DateField(_("platnost do"), null=True, blank=True)
    sla_policy = models.ForeignKey(
        "sla.SlaPolicy",
        verbose_name=_("SLA (jiné než v tarifu)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    renewal_prepared_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("prodloužení připraveno")
    )

    class Meta:
        verbose_name = _("smlouva")
        verbose_name_plural = _("smlouvy")
        indexes = [models.Index(fields=["organization", "valid_from", "valid_to"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="contract_valid_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} ({self.organization})"

    def effective_sla_policy(self):
        return self.sla_policy or self.plan.sla_policy


class PrepaidPackage(models.Model):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organizace"),
        on_delete=models.CASCADE,
        related_name="packages",
    )
    name = models.CharField(_("název"), max_length=120)
    minutes = models.PositiveIntegerField(_("minut celkem"))
    valid_from = models.DateField(_("platnost od"))
    valid_to = models.DateField(_("platnost do"), null=True, blank=True)
    low_balance_minutes = models.PositiveIntegerField(_("upozornit pod (minut)"), default=60)

    class Meta:
        verbose_name = _("předplacený balík")
        verbose_name_plural = _("předplacené balíky")

    def __str__(self) -> str:
        return self.name


class ScopeItem(models.Model):
    """A kind of request a vendor names on its page (training, on-site work, …): whether its
    support covers it, on which channels, and what happens when it does not.

    The requester picks the kind on the portal, the public form and the phone form; agents
    reclassify in the console. A plan's own excluded / billable scopes come first."""

    class Outcome(models.TextChoices):
        COVERED = "covered", _("součást podpory")
        REJECTED = "rejected", _("podpora nepokrývá – požadavek se odmítne")
        BILLABLE = "billable", _("mimo podporu – placená práce")

    vendor = models.ForeignKey(
        Vendor, verbose_name=_("dodavatel"), on_delete=models.CASCADE, related_name="scope_items"
    )
    code = models.CharField(
        _("kód"),
        max_length=30,
        validators=[RegexValidator(r"^[a-z][a-z0-9_]*$", _("Kód smí obsahovat jen a–z, 0–9 a _."))],
    )
    name = models.CharField(_("název (česky)"), max_length=120)
    name_sk = models.CharField(_("název (slovensky)"), max_length=120, blank=True)
    name_en = models.CharField(_("název (anglicky)"), max_length=120, blank=True)
    outcome = models.CharField(
        _("co podpora říká"), max_length=10, choices=Outcome.choices, default=Outcome.REJECTED
    )
    channels = models.JSONField(
        _("kanály, kterých se to týká (prázdné = všechny)"),
        default=list,
        blank=True,
        help_text=_("Na ostatních kanálech je tento druh požadavku součástí podpory."),
    )
    order = models.PositiveSmallIntegerField(_("pořadí"), default=0)

    class Meta:
        verbose_name = _("druh požadavku")
        verbose_name_plural = _("druhy požadavků")
        ordering = ["vendor", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "code"], name="scope_item_unique_code")
        ]

    def __str__(self) -> str:
        return self.label()

    def label(self, language: str | None = None) -> str:
        """The name in ``language`` (default: the active one), Czech when not translated."""
        return in_language(self, "name", language)

    def outcome_on(self, channel: str) -> str:
        """covered / rejected / billable for a request of this kind on ``channel``."""
        if self.channels and channel not in self.channels:
            return self.Outcome.COVERED
        return self.outcome


class ChannelInfo(models.Model):
    """How customers reach a vendor on one channel: the number or address, the hours, a note.

    The hours are shown in words on the portal and the public form; a request that came by
    this channel has its SLA counted in the channel's calendar when one is set (cloudempiere's
    phone: working days 8:00–17:00, while the portal runs 24/7)."""

    vendor = models.ForeignKey(
        Vendor,
        verbose_name=_("dodavatel"),
        on_delete=models.CASCADE,
        related_name="channel_infos",
    )
    channel = models.CharField(_("kanál"), max_length=10, choices=CHANNEL_CHOICES)
    contact = models.CharField(
        _("číslo nebo adresa"), max_length=200, blank=True, help_text=_("telefon, e-mail, adresa")
    )
    calendar = models.ForeignKey(
        "sla.BusinessCalendar",
        verbose_name=_("pracovní doba kanálu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Prázdné = pracovní doba dodavatele a SLA podle smlouvy. Vyplněná: podle ní běží i SLA požadavků z tohoto kanálu."
        ),
    )
    always_open = models.BooleanField(
        _("dostupné kdykoli"),
        default=False,
        help_text=_("Portál, e-mail: zákazník může psát kdykoli (SLA běží podle smlouvy)."),
    )
    note = models.CharField(_("poznámka (česky)"), max_length=200, blank=True)
    note_sk = models.CharField(_("poznámka (slovensky)"), max_length=200, blank=True)
    note_en = models.CharField(_("poznámka (anglicky)"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("pořadí"), default=0)

    class Meta:
        verbose_name = _("kanál podpory")
        verbose_name_plural = _("kanály podpory")
        ordering = ["vendor", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "channel"], name="channel_info_unique")
        ]

    def __str__(self) -> str:
        return f"{self.vendor} – {self.get_channel_display()}"

    def note_text(self, language: str | None = None) -> str:
        return in_language(self, "note", language)


class PublicFormText(models.Model):
    """What the vendor's public question form (/dotaz/<vendor>/) says besides its fields: an
    introduction above the form and a sentence added to the thanks once a question is filed.
    Plain text, escaped when shown; empty: the form's own default sentences."""

    vendor = models.OneToOneField(
        Vendor,
        on_delete=models.CASCADE,
        related_name="public_form",
        verbose_name=_("dodavatel"),
    )
    intro = models.TextField(_("úvod formuláře (česky)"), blank=True)
    intro_sk = models.TextField(_("úvod formuláře (slovensky)"), blank=True)
    intro_en = models.TextField(_("úvod formuláře (anglicky)"), blank=True)
    thanks = models.CharField(_("poděkování po odeslání (česky)"), max_length=300, blank=True)
    thanks_sk = models.CharField(
        _("poděkování po odeslání (slovensky)"), max_length=300, blank=True
    )
    thanks_en = models.CharField(_("poděkování po odeslání (anglicky)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("texty veřejného formuláře")
        verbose_name_plural = _("texty veřejného formuláře")

    def __str__(self) -> str:
        return str(_("Texty veřejného formuláře"))

    def intro_text(self, language: str | None = None) -> str:
        return in_language(self, "intro", language)

    def thanks_text(self, language: str | None = None) -> str:
        return in_language(self, "thanks", language)


class MonthlyAccountSent(models.Model):
    """The monthly account of support of ``month`` was mailed to the organisation's admins."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name=_("organizace")
    )
    month = models.DateField(verbose_name=_("měsíc"))  #: its first day
    sent_at = models.DateTimeField(auto_now_add=True, verbose_name=_("odesláno"))

    class Meta:
        verbose_name = _("odeslaný měsíční přehled")
        verbose_name_plural = _("odeslané měsíční přehledy")
        constraints = [
            models.UniqueConstraint(fields=["organization", "month"], name="monthly_sent_once")
        ]
