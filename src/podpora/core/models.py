from django.db import models
from django.utils.translation import gettext_lazy as _


class Blob(models.Model):
    """Bytes stored once by their SHA-256; files and raw e-mails point here."""

    sha256 = models.CharField(max_length=64, primary_key=True)
    size = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("uložený soubor")
        verbose_name_plural = _("uložené soubory")

    def __str__(self) -> str:
        return f"{self.sha256[:12]} ({self.size} B)"
