"""Quotes for change requests: analysis → quote → the customer's decision → delivery.

A change request (type "change", e.g. HR Plus "úpravy aplikačního software") is priced before
the work is done: the vendor's analyst writes what will change, how many hours it takes at the
price list's rate (or a fixed price for the whole change) and when it will be delivered. The
customer's authorised person (the customer admin only, where the vendor requires it) approves
or refuses it in the portal; the approved work is billed as quoted when it is delivered,
whatever time was logged.

The model and the pure rules are here; the writers are ``send_quote``, ``decide_quote`` and
``deliver_quote`` in ``tickets/services.py``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

#: Hours are quoted to the minute: 1.5 h is 90 minutes, 0.01 h is refused.
MAX_HOURS = Decimal(10_000)


class Quote(models.Model):
    class State(models.TextChoices):
        SENT = "sent", _("čeká na schválení")
        APPROVED = "approved", _("schválena")
        REFUSED = "refused", _("odmítnuta")
        DELIVERED = "delivered", _("dodána")

    ticket = models.ForeignKey(
        "tickets.Ticket",
        on_delete=models.CASCADE,
        related_name="quotes",
        verbose_name=_("požadavek"),
    )
    number = models.PositiveSmallIntegerField(_("pořadí nabídky"))
    analysis = models.TextField(_("analýza a rozsah prací"))
    hours = models.DecimalField(_("hodin"), max_digits=8, decimal_places=2)
    rate = models.DecimalField(_("sazba (Kč/h bez DPH)"), max_digits=10, decimal_places=2)
    amount = models.DecimalField(_("cena (Kč bez DPH)"), max_digits=12, decimal_places=2)
    #: the amount was agreed as a fixed price; ``hours`` is then the estimate the work is
    #: billed under, ``rate`` the amount per estimated hour
    fixed_price = models.BooleanField(_("pevná cena"), default=False)
    delivery_on = models.DateField(_("termín dodání"))
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.SENT, verbose_name=_("stav")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vytvořil(a)"),
    )
    created_at = models.DateTimeField(verbose_name=_("vytvořeno"))
    decided_by = models.ForeignKey(
        "customers.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("rozhodl(a)"),
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("rozhodnuto"))
    decision_note = models.CharField(_("poznámka zákazníka"), max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("dodáno"))
    time_entry = models.OneToOneField(
        "billing.TimeEntry",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quote",
        verbose_name=_("vykázaná práce"),
    )

    class Meta:
        verbose_name = _("nabídka")
        verbose_name_plural = _("nabídky")
        ordering = ["ticket", "number"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "number"], name="quote_number_unique"),
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="quote_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}/{self.number}"

    @property
    def minutes(self) -> int:
        return quoted_minutes(self.hours)


def quoted_minutes(hours: Decimal) -> int:
    return int(hours * 60)


def hours_valid(hours) -> bool:
    """A positive number of hours that is a whole number of minutes (1.25 h, not 0.01 h)."""
    if not isinstance(hours, Decimal) or not hours.is_finite():
        return False
    return Decimal(0) < hours <= MAX_HOURS and (hours * 60) % 1 == 0


def price(hours: Decimal, rate: Decimal) -> Decimal:
    """The quoted amount: hours at the rate, rounded to hellers as billing rounds a line."""
    return (hours * rate).quantize(Decimal("0.01"))


def fixed_rate(amount: Decimal, hours: Decimal) -> Decimal:
    """A fixed price's amount per estimated hour (what the billed time entry carries)."""
    return (amount / hours).quantize(Decimal("0.01"))


def may_decide(contact, ticket, *, admin_only: bool) -> bool:
    """Who approves or refuses a quote: an active authorised person of the ticket's
    organisation (never an end user), or only its customer admin where the vendor says so."""
    if (
        contact is None
        or not contact.is_active
        or contact.organization_id != ticket.organization_id
    ):
        return False
    if admin_only:
        return contact.role == "customer_admin"
    return contact.role in ("authorised", "customer_admin")
