from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Product(models.Model):
    vendor = models.ForeignKey(
        "customers.Vendor",
        verbose_name=_("dodavatel"),
        on_delete=models.CASCADE,
        related_name="products",
    )
    code = models.SlugField(_("kód"), max_length=40)
    name = models.CharField(_("název"), max_length=120)

    class Meta:
        verbose_name = _("produkt")
        verbose_name_plural = _("produkty")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "code"], name="product_unique_code")
        ]

    def __str__(self) -> str:
        return self.name


class Version(models.Model):
    product = models.ForeignKey(
        Product, verbose_name=_("produkt"), on_delete=models.CASCADE, related_name="versions"
    )
    name = models.CharField(_("verze"), max_length=40)
    released_on = models.DateField(_("vydána"), null=True, blank=True)
    supported_until = models.DateField(_("podporována do"), null=True, blank=True)

    class Meta:
        verbose_name = _("verze")
        verbose_name_plural = _("verze")
        ordering = ["product", "-released_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["product", "name"], name="version_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.product.name} {self.name}"

    def is_supported_on(self, day) -> bool:
        return self.supported_until is None or self.supported_until >= day


class Release(models.Model):
    """A shipped build; bugs are linked to the release that fixes them."""

    product = models.ForeignKey(
        Product, verbose_name=_("produkt"), on_delete=models.CASCADE, related_name="releases"
    )
    version = models.ForeignKey(
        Version, verbose_name=_("verze"), on_delete=models.CASCADE, related_name="releases"
    )
    official = models.BooleanField(_("oficiální aktualizace"), default=True)
    published_at = models.DateTimeField(_("vydáno"), null=True, blank=True, db_index=True)
    notes = models.TextField(_("poznámky k vydání"), blank=True)
    #: when the customers waiting for a fix in this release were told it is out
    announced_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("oznámeno zákazníkům")
    )

    class Meta:
        verbose_name = _("vydání")
        verbose_name_plural = _("vydání")
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return str(self.version)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        from podpora.search import index

        index.release(self)


class ReleaseFile(models.Model):
    release = models.ForeignKey(
        Release, verbose_name=_("vydání"), on_delete=models.CASCADE, related_name="files"
    )
    blob = models.ForeignKey("core.Blob", verbose_name=_("soubor"), on_delete=models.PROTECT)
    filename = models.CharField(_("název souboru"), max_length=200)

    class Meta:
        verbose_name = _("soubor ke stažení")
        verbose_name_plural = _("soubory ke stažení")


class Service(models.Model):
    """One line of the service catalogue and price list."""

    class Unit(models.TextChoices):
        HOUR = "hour", _("hodina")
        YEAR = "year", _("kalendářní rok")
        PIECE = "piece", _("kus")

    vendor = models.ForeignKey(
        "customers.Vendor",
        verbose_name=_("dodavatel"),
        on_delete=models.CASCADE,
        related_name="services",
    )
    code = models.SlugField(_("kód"), max_length=40)
    name = models.CharField(_("název"), max_length=160)
    description = models.TextField(_("popis"), blank=True)
    unit = models.CharField(_("jednotka"), max_length=8, choices=Unit.choices, default=Unit.YEAR)
    price = models.DecimalField(
        _("cena bez DPH (Kč)"), max_digits=12, decimal_places=2, default=Decimal(0)
    )
    vat_rate = models.DecimalField(
        _("sazba DPH (%)"), max_digits=5, decimal_places=2, default=Decimal(21)
    )
    opens_channels = models.JSONField(_("otevírá kanály"), default=list, blank=True)

    class Meta:
        verbose_name = _("služba ceníku")
        verbose_name_plural = _("ceník služeb")
        constraints = [
            models.UniqueConstraint(fields=["vendor", "code"], name="service_unique_code")
        ]

    def __str__(self) -> str:
        return self.name


class Specialist(models.Model):
    """A certified specialist a vendor publishes (InTouch: a published list of certified
    specialists), whom customers may hire for work outside support."""

    vendor = models.ForeignKey(
        "customers.Vendor",
        verbose_name=_("dodavatel"),
        on_delete=models.CASCADE,
        related_name="specialists",
    )
    name = models.CharField(_("jméno"), max_length=120)
    company = models.CharField(_("firma"), max_length=160, blank=True)
    region = models.CharField(_("kraj nebo město"), max_length=80, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    web = models.URLField(_("web"), blank=True)
    products = models.ManyToManyField(
        Product, blank=True, related_name="specialists", verbose_name=_("certifikován pro")
    )
    certified_until = models.DateField(_("certifikát platí do"), null=True, blank=True)
    published = models.BooleanField(_("zveřejněn"), default=True)
    search_text = models.TextField(blank=True, editable=False, verbose_name=_("text pro hledání"))

    class Meta:
        verbose_name = _("certifikovaný specialista")
        verbose_name_plural = _("certifikovaní specialisté")
        ordering = ["region", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        from podpora.core.text import fold

        self.search_text = fold(f"{self.name}\n{self.company}\n{self.region}")
        super().save(*args, **kwargs)
