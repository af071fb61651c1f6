from django.db import models
from django.utils.translation import gettext_lazy as _


class BusinessCalendar(models.Model):
    """Working hours and holidays; the same JSON shape as the `podpora sla` calendar file."""

    vendor = models.ForeignKey(
        "customers.Vendor",
        verbose_name=_("dodavatel"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendars",
    )
    name = models.CharField(_("název"), max_length=120)
    timezone = models.CharField(_("časové pásmo"), max_length=64, default="Europe/Prague")
    week = models.JSONField(_("pracovní doba"), default=dict)
    holiday_countries = models.JSONField(_("svátky států"), default=list, blank=True)
    holiday_dates = models.JSONField(_("vlastní volné dny"), default=list, blank=True)
    updated_at = models.DateTimeField(_("upraveno"), auto_now=True)

    class Meta:
        verbose_name = _("pracovní kalendář")
        verbose_name_plural = _("pracovní kalendáře")

    def __str__(self) -> str:
        return self.name

    def as_dict(self) -> dict:
        return {
            "timezone": self.timezone,
            "week": self.week,
            "holidays": {"countries": self.holiday_countries, "dates": self.holiday_dates},
        }


class SlaPolicy(models.Model):
    vendor = models.ForeignKey(
        "customers.Vendor",
        verbose_name=_("dodavatel"),
        on_delete=models.CASCADE,
        related_name="sla_policies",
    )
    name = models.CharField(_("název"), max_length=120)
    calendar = models.ForeignKey(
        BusinessCalendar, verbose_name=_("kalendář"), on_delete=models.PROTECT
    )
    # xgettext:no-python-format
    warn_percent = models.PositiveSmallIntegerField(_("varovat při (% cíle)"), default=80)
    escalate_on_breach = models.BooleanField(
        _("při porušení eskalovat na další úroveň"), default=True
    )

    class Meta:
        verbose_name = _("SLA")
        verbose_name_plural = _("SLA")

    def __str__(self) -> str:
        return self.name


class SlaTarget(models.Model):
    """Targets as specs: "90m", "8h", "2wd", "7d", or "release" (fixed in the next official release)."""

    policy = models.ForeignKey(
        SlaPolicy, verbose_name=_("SLA"), on_delete=models.CASCADE, related_name="targets"
    )
    priority = models.PositiveSmallIntegerField(_("priorita"))
    ticket_type = models.CharField(
        _("typ požadavku (prázdné = všechny)"), max_length=20, blank=True
    )
    first_response = models.CharField(_("první reakce"), max_length=16, blank=True)
    resolution = models.CharField(_("vyřešení"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("cíl SLA")
        verbose_name_plural = _("cíle SLA")
        ordering = ["priority", "ticket_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "priority", "ticket_type"], name="sla_target_unique"
            )
        ]

    def __str__(self) -> str:
        return (
            f"P{self.priority} {self.ticket_type or '*'}: {self.first_response} / {self.resolution}"
        )
