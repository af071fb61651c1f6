"""What the portal told a customer's admins once: a package running low, a contract ending."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CustomerNotice(models.Model):
    """One row per event told; its unique ``key`` makes the job tell each event once."""

    kind = models.CharField(max_length=20, verbose_name=_("druh"))  # package_low / contract_ending
    key = models.CharField(max_length=80, unique=True, verbose_name=_("klíč"))
    organization = models.ForeignKey(
        "customers.Organization",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organizace"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("vytvořeno"))

    class Meta:
        verbose_name = _("upozornění zákazníkovi")
        verbose_name_plural = _("upozornění zákazníkům")
