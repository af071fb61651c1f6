"""The knowledge base: guides and procedures, frequent questions, documentation pages and news,
each in one language, written in Markdown by the vendor's staff."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from podpora.core.text import fold


class Article(models.Model):
    class Kind(models.TextChoices):
        GUIDE = "guide", _("návod a postup")
        FAQ = "faq", _("častá otázka")
        DOC = "doc", _("dokumentace")
        NEWS = "news", _("novinka")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("kdokoli (i bez přihlášení)")
        CUSTOMERS = "customers", _("přihlášení zákazníci")
        INTERNAL = "internal", _("jen pracovníci podpory")

    vendor = models.ForeignKey(
        "customers.Vendor",
        verbose_name=_("dodavatel"),
        on_delete=models.CASCADE,
        related_name="articles",
    )
    product = models.ForeignKey(
        "catalog.Product",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        verbose_name=_("produkt"),
    )
    kind = models.CharField(_("druh"), max_length=8, choices=Kind.choices, default=Kind.GUIDE)
    language = models.CharField(
        _("jazyk"),
        max_length=8,
        choices=[("cs", "čeština"), ("sk", "slovenčina"), ("en", "English")],
        default="cs",
    )
    audience = models.CharField(
        _("kdo čte"), max_length=10, choices=Audience.choices, default=Audience.CUSTOMERS
    )
    title = models.CharField(_("název"), max_length=200)
    slug = models.SlugField(_("adresa"), max_length=120)
    body = models.TextField(_("text (Markdown)"))
    published_at = models.DateTimeField(
        _("zveřejněno"),
        null=True,
        blank=True,
        help_text=_("Prázdné = koncept, vidí ho jen podpora."),
    )
    updated_at = models.DateTimeField(_("upraveno"), auto_now=True)
    #: when a news article was sent to the customers who take news by e-mail
    mailed_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("rozesláno")
    )
    search_text = models.TextField(blank=True, editable=False, verbose_name=_("text pro hledání"))

    class Meta:
        verbose_name = _("článek znalostní báze")
        verbose_name_plural = _("znalostní báze")
        ordering = ["-published_at", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "language", "slug"], name="kb_article_unique_slug"
            )
        ]
        indexes = [models.Index(fields=["vendor", "language", "published_at"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.title}\n{self.body}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)
        from podpora.search import index

        index.kb_article(self)


class Deflection(models.Model):
    """A customer found the answer in a suggested article while typing a request and filed
    nothing ("Toto mi pomohlo"); the reports count these."""

    vendor = models.ForeignKey(
        "customers.Vendor",
        on_delete=models.CASCADE,
        related_name="deflections",
        verbose_name=_("dodavatel"),
    )
    article = models.ForeignKey(
        Article,
        null=True,
        on_delete=models.SET_NULL,
        related_name="deflections",
        verbose_name=_("článek"),
    )
    contact = models.ForeignKey(
        "customers.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("kontakt"),
    )
    channel = models.CharField(
        max_length=10, default="portal", verbose_name=_("kanál")
    )  # portal / webform
    language = models.CharField(max_length=8, default="cs", verbose_name=_("jazyk"))
    subject = models.CharField(max_length=250, blank=True, verbose_name=_("předmět"))
    created_at = models.DateTimeField(verbose_name=_("kdy"))

    class Meta:
        verbose_name = _("nalezená odpověď")
        verbose_name_plural = _("nalezené odpovědi")
        indexes = [models.Index(fields=["vendor", "created_at"])]
