from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from podpora.customers.validators import validate_dic, validate_ico


class Invoicing(models.Model):
    """Billable work and yearly services marked as invoiced together, so that no later export
    offers them again. Deleting it (cancelling the marking) makes them pending once more."""

    vendor = models.ForeignKey(
        "customers.Vendor",
        verbose_name=_("dodavatel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organization = models.ForeignKey(
        "customers.Organization",
        verbose_name=_("organizace"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoicings",
    )
    date_from = models.DateField(_("od"))
    date_to = models.DateField(_("do"))
    reference = models.CharField(_("číslo faktury"), max_length=40, blank=True)
    lines = models.PositiveIntegerField(_("řádků"), default=0)
    base = models.DecimalField(_("základ bez DPH (Kč)"), max_digits=14, decimal_places=2, default=0)
    vat = models.DecimalField(_("DPH (Kč)"), max_digits=14, decimal_places=2, default=0)
    total = models.DecimalField(_("celkem s DPH (Kč)"), max_digits=14, decimal_places=2, default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vytvořil"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("vytvořeno"), auto_now_add=True)

    class Meta:
        verbose_name = _("vyfakturování")
        verbose_name_plural = _("vyfakturování")

    def __str__(self) -> str:
        return self.reference or f"#{self.pk}"


class TimeEntry(models.Model):
    class Mode(models.TextChoices):
        COVERED = "covered", _("v rámci smlouvy")
        PREPAID = "prepaid", _("z předplaceného balíku")
        BILLABLE = "billable", _("k fakturaci")

    ticket = models.ForeignKey(
        "tickets.Ticket",
        verbose_name=_("požadavek"),
        on_delete=models.CASCADE,
        related_name="time_entries",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uživatel"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    minutes = models.PositiveIntegerField(_("minut"))
    note = models.CharField(_("co"), max_length=300, blank=True)
    mode = models.CharField(_("režim"), max_length=10, choices=Mode.choices)
    package = models.ForeignKey(
        "customers.PrepaidPackage",
        verbose_name=_("předplacený balík"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    rate = models.DecimalField(
        _("sazba (Kč/h bez DPH)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    worked_on = models.DateField(_("den"))
    #: The channel the work itself was judged on: "phone" for a call (counted against the plan's
    #: free phone consultations), "remote" for a remote session, "" for other work.
    channel = models.CharField(_("kanál práce"), max_length=10, blank=True, default="")
    invoicing = models.ForeignKey(
        Invoicing,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="time_entries",
        verbose_name=_("vyfakturováno"),
    )
    created_at = models.DateTimeField(_("vytvořeno"), auto_now_add=True)

    class Meta:
        verbose_name = _("výkaz práce")
        verbose_name_plural = _("výkazy práce")
        indexes = [models.Index(fields=["package"]), models.Index(fields=["worked_on"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(minutes__gt=0), name="time_entry_positive")
        ]


class Subscription(models.Model):
    """A yearly service an organisation takes for one calendar year."""

    organization = models.ForeignKey(
        "customers.Organization",
        verbose_name=_("organizace"),
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    service = models.ForeignKey(
        "catalog.Service",
        verbose_name=_("služba"),
        on_delete=models.PROTECT,
        related_name="subscriptions",
    )
    year = models.PositiveSmallIntegerField(_("kalendářní rok"))
    quantity = models.PositiveIntegerField(_("počet"), default=1)
    price = models.DecimalField(_("cena bez DPH (Kč)"), max_digits=12, decimal_places=2)
    free_reason = models.CharField(_("zdarma, protože"), max_length=200, blank=True)
    invoicing = models.ForeignKey(
        Invoicing,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subscriptions",
        verbose_name=_("vyfakturováno"),
    )

    class Meta:
        verbose_name = _("předplatné služby")
        verbose_name_plural = _("předplatné služeb")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "service", "year"], name="subscription_unique_year"
            )
        ]


class VendorBilling(models.Model):
    """Who issues the vendor's invoices: printed on each proforma invoice."""

    vendor = models.OneToOneField(
        "customers.Vendor",
        verbose_name=_("dodavatel"),
        on_delete=models.CASCADE,
        related_name="billing_details",
    )
    legal_name = models.CharField(_("obchodní firma"), max_length=200)
    address = models.TextField(_("sídlo"))
    ico = models.CharField(_("IČO"), max_length=8, validators=[validate_ico])
    dic = models.CharField(_("DIČ"), max_length=14, blank=True, validators=[validate_dic])
    bank_account = models.CharField(_("bankovní účet"), max_length=60)
    due_days = models.PositiveSmallIntegerField(_("splatnost (dní)"), default=14)

    class Meta:
        verbose_name = _("fakturační údaje dodavatele")
        verbose_name_plural = _("fakturační údaje dodavatelů")

    def __str__(self) -> str:
        return self.legal_name


class Proforma(models.Model):
    """A proforma invoice (zálohová faktura) offering the paid plans after HOTLINE START;
    paid, it activates the plan the customer chose (billing/proforma.py)."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("vystavena, čeká na úhradu")
        PAID = "paid", _("uhrazena")

    vendor = models.ForeignKey(
        "customers.Vendor",
        verbose_name=_("dodavatel"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    organization = models.ForeignKey(
        "customers.Organization",
        verbose_name=_("organizace"),
        on_delete=models.PROTECT,
        related_name="proformas",
    )
    licence = models.OneToOneField(
        "customers.Licence",
        verbose_name=_("licence"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="start_proforma",
    )
    number = models.CharField(_("číslo"), max_length=20)
    variable_symbol = models.CharField(_("variabilní symbol"), max_length=10)
    issued_on = models.DateField(_("vystavena"))
    due_on = models.DateField(_("splatná"))
    start_ends_on = models.DateField(_("START končí"))
    #: [{"plan": code, "name": …, "price": "9600.00", "vat_rate": "21.00"}], as issued
    offers = models.JSONField(default=list, verbose_name=_("nabídka"))
    pdf = models.ForeignKey(
        "core.Blob",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("PDF"),
    )
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.ISSUED, verbose_name=_("stav")
    )
    paid_on = models.DateField(_("uhrazena dne"), null=True, blank=True)
    paid_plan = models.ForeignKey(
        "customers.Plan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("zaplacený tarif"),
    )
    contract = models.ForeignKey(
        "customers.Contract",
        verbose_name=_("smlouva"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("označil"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("vytvořeno"), auto_now_add=True)

    class Meta:
        verbose_name = _("zálohová faktura")
        verbose_name_plural = _("zálohové faktury")
        constraints = [
            models.UniqueConstraint(fields=["vendor", "number"], name="proforma_unique_number")
        ]

    def __str__(self) -> str:
        return self.number


class ProductPurchase(models.Model):
    """A customer bought a product (Harmonik: remote access free for the next calendar year)."""

    organization = models.ForeignKey(
        "customers.Organization",
        verbose_name=_("organizace"),
        on_delete=models.CASCADE,
        related_name="purchases",
    )
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("produkt"), on_delete=models.PROTECT, related_name="+"
    )
    purchased_on = models.DateField(_("datum nákupu"))
    subscription = models.ForeignKey(
        Subscription,
        verbose_name=_("vzdálený přístup zdarma"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("zaznamenal"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("zaznamenáno"), auto_now_add=True)

    class Meta:
        verbose_name = _("nákup produktu")
        verbose_name_plural = _("nákupy produktů")
        ordering = ["-purchased_on", "-pk"]
