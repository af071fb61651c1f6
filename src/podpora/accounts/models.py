from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who logs in: a vendor's staff member or a customer's contact."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("pracovník dodavatele")
        CUSTOMER = "customer", _("zákazník")

    class Role(models.TextChoices):
        AGENT = "agent", _("operátor hotline")
        SOLVER = "solver", _("řešitel")
        MANAGER = "manager", _("vedoucí podpory")
        BILLING = "billing", _("fakturace a obchod")
        ADMIN = "admin", _("správce")

    kind = models.CharField(_("druh"), max_length=16, choices=Kind.choices, default=Kind.CUSTOMER)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, blank=True)
    vendor = models.ForeignKey(
        "customers.Vendor",
        verbose_name=_("dodavatel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        help_text=_("Pracovník vidí jen požadavky svého dodavatele; prázdné = všichni."),
    )
    solver_level = models.PositiveSmallIntegerField(_("úroveň řešitele"), default=1)
    language = models.CharField(_("jazyk"), max_length=8, default="cs")

    class Meta:
        verbose_name = _("uživatel")
        verbose_name_plural = _("uživatelé")

    @property
    def is_vendor_staff(self) -> bool:
        return self.kind == self.Kind.STAFF or self.is_superuser

    @property
    def may_configure(self) -> bool:
        """Reaches the vendor's administration (accounts/access.py decides)."""
        from podpora.accounts.access import may_configure

        return may_configure(self)


class Team(models.Model):
    vendor = models.ForeignKey(
        "customers.Vendor",
        verbose_name=_("dodavatel"),
        on_delete=models.CASCADE,
        related_name="teams",
    )
    name = models.CharField(_("název"), max_length=120)
    email = models.EmailField(_("e-mail týmu"), blank=True)
    lead = models.ForeignKey(
        User,
        verbose_name=_("vedoucí"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    members = models.ManyToManyField(
        User, verbose_name=_("členové"), blank=True, related_name="teams"
    )

    class Meta:
        verbose_name = _("tým")
        verbose_name_plural = _("týmy")
        constraints = [models.UniqueConstraint(fields=["vendor", "name"], name="team_unique_name")]

    def __str__(self) -> str:
        return self.name


class ApiToken(models.Model):
    """A bearer token; only its SHA-256 is stored, the token itself is shown once."""

    user = models.ForeignKey(
        User, verbose_name=_("uživatel"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True, verbose_name=_("otisk klíče"))
    label = models.CharField(_("popis"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("vytvořeno"), auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, verbose_name=_("naposledy použit"))

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokeny")
