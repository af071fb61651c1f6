from django.db import models
from django.utils.translation import gettext_lazy as _


class Blob(models.Model):
    """Bytes stored once by their SHA-256; files and raw e-mails point here."""

    sha256 = models.CharField(max_length=64, primary_key=True, verbose_name=_("otisk SHA-256"))
    size = models.BigIntegerField(verbose_name=_("velikost (bajty)"))
    created_at = models.DateTimeField(_("vytvořeno"), auto_now_add=True)

    class Meta:
        verbose_name = _("uložený soubor")
        verbose_name_plural = _("uložené soubory")

    def __str__(self) -> str:
        return f"{self.sha256[:12]} ({self.size} B)"


class ConfigVersion(models.Model):
    """One row whose token changes whenever configuration cached per process changes.

    Written only by database triggers (migration 0002), so writes from other processes,
    ``QuerySet.update()``, bulk operations and raw SQL all count; read by ``configcache``.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    token = models.BigIntegerField(verbose_name=_("verze nastavení"))

    class Meta:
        verbose_name = _("verze konfigurace")
        verbose_name_plural = _("verze konfigurace")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="configversion_one_row")
        ]

    def __str__(self) -> str:
        return str(self.token)


class JobRun(models.Model):
    """When each periodic job is next due: the scheduler that moves ``due_at`` on runs it.

    Several schedulers may run at once (several machines, a restart overlapping the old one):
    each claims a job by a conditional UPDATE of its row that only one of them wins.
    """

    name = models.CharField(max_length=60, primary_key=True, verbose_name=_("úloha"))
    due_at = models.DateTimeField(verbose_name=_("naplánováno na"))
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("začátek"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("konec"))
    result = models.CharField(max_length=500, blank=True, verbose_name=_("výsledek"))
    ok = models.BooleanField(default=True, verbose_name=_("proběhla bez chyby"))

    class Meta:
        verbose_name = _("periodická úloha")
        verbose_name_plural = _("periodické úlohy")

    def __str__(self) -> str:
        return self.name
