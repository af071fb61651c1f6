"""The customer's rating of a resolved request: one per request, changed by rating again."""

from django.db import models
from django.utils.translation import gettext_lazy as _

SCORES = [
    (1, _("velmi nespokojeni")),
    (2, _("nespokojeni")),
    (3, _("ani spokojeni, ani nespokojeni")),
    (4, _("spokojeni")),
    (5, _("velmi spokojeni")),
]


class Rating(models.Model):
    ticket = models.OneToOneField(
        "tickets.Ticket",
        on_delete=models.CASCADE,
        related_name="rating",
        verbose_name=_("požadavek"),
    )
    score = models.PositiveSmallIntegerField(_("hodnocení"), choices=SCORES)
    comment = models.TextField(_("komentář"), blank=True)
    contact = models.ForeignKey(
        "customers.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("hodnotil"),
    )
    #: who solved it, when it was rated (the ticket's assignee may change later)
    agent = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("řešitel"),
    )
    channel = models.CharField(
        max_length=10, default="portal", verbose_name=_("kanál")
    )  # portal / email / webform (the private page of a public-form question)
    created_at = models.DateTimeField(_("hodnoceno"))
    updated_at = models.DateTimeField(_("změněno"))
    #: when the low rating's follow-up went to the team lead (once per low rating)
    follow_up_at = models.DateTimeField(null=True, blank=True, verbose_name=_("následná kontrola"))

    class Meta:
        verbose_name = _("hodnocení spokojenosti")
        verbose_name_plural = _("hodnocení spokojenosti")
        indexes = [models.Index(fields=["created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="rating_score_1_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.score}"
