"""Macros: a vendor's (or a team's) canned answer in Czech, Slovak and English, with
placeholders, that may also set the ticket's state, priority, type, kind or assignee."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from podpora.tickets.models import LEVEL_CHOICES, STATE_CHOICES, TYPE_CHOICES

from .placeholders import unknown_placeholders


class Macro(models.Model):
    vendor = models.ForeignKey(
        "customers.Vendor",
        on_delete=models.CASCADE,
        related_name="macros",
        verbose_name=_("dodavatel"),
    )
    #: None: every agent of the vendor; a team: only that team's members see it
    team = models.ForeignKey(
        "accounts.Team",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="macros",
        verbose_name=_("tým"),
    )
    name = models.CharField(_("název"), max_length=120)
    body_cs = models.TextField(_("text česky"), blank=True)
    body_sk = models.TextField(_("text slovensky"), blank=True)
    body_en = models.TextField(_("text anglicky"), blank=True)
    set_state = models.CharField(
        _("nastavit stav"), max_length=20, choices=STATE_CHOICES, blank=True
    )
    set_impact = models.PositiveSmallIntegerField(
        _("nastavit dopad"), choices=LEVEL_CHOICES, null=True, blank=True
    )
    set_urgency = models.PositiveSmallIntegerField(
        _("nastavit naléhavost"), choices=LEVEL_CHOICES, null=True, blank=True
    )
    set_type = models.CharField(_("nastavit typ"), max_length=20, choices=TYPE_CHOICES, blank=True)
    #: a vendor's kind of request (ScopeItem code); blank: unchanged
    set_scope = models.CharField(_("nastavit druh požadavku"), max_length=30, blank=True)
    set_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("přidělit pracovníkovi"),
    )
    assign_to_actor = models.BooleanField(_("přidělit tomu, kdo makro použije"), default=False)
    is_active = models.BooleanField(_("aktivní"), default=True)
    updated_at = models.DateTimeField(_("upraveno"), auto_now=True)

    class Meta:
        verbose_name = _("makro")
        verbose_name_plural = _("makra")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "name"], name="macro_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def body_for(self, language: str) -> str:
        """The text in the ticket's language, Czech when that one is empty."""
        return getattr(self, f"body_{language}", "") or self.body_cs

    def clean(self):
        errors = {}
        for lang in ("cs", "sk", "en"):
            unknown = unknown_placeholders(getattr(self, f"body_{lang}"))
            if unknown:
                errors[f"body_{lang}"] = _("Neznámé zástupné texty: %(names)s") % {
                    "names": ", ".join(unknown)
                }
        if self.team_id and self.vendor_id and self.team.vendor_id != self.vendor_id:
            errors["team"] = _("Tým nepatří tomuto dodavateli.")
        if self.set_assignee_id and self.set_assignee.vendor_id != self.vendor_id:
            errors["set_assignee"] = _("Pracovník nepatří tomuto dodavateli.")
        if self.set_assignee_id and self.assign_to_actor:
            errors["assign_to_actor"] = _("Zvolte buď pracovníka, nebo toho, kdo makro použije.")
        if errors:
            raise ValidationError(errors)
