"""The kinds of request a vendor names (``ScopeItem``), as the forms offer them.

The requester (portal, public form) or the agent (phone form, console) picks one; each is
labelled with what the vendor's support says of it on that channel, so nobody is surprised
by a refusal or a bill.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .models import ScopeItem

#: The choice for everything the support covers as usual.
ORDINARY = ""


def scope_choices(vendor, channel: str | None) -> list[tuple[str, str]]:
    """("", ordinary support) and the vendor's items in the active language; on a channel,
    each not covered there says so ("– není součástí podpory", "– placená práce")."""
    choices = [(ORDINARY, _("Běžná podpora (dotaz, chyba, porucha)"))]
    for item in ScopeItem.objects.filter(vendor=vendor):
        name = item.label()
        outcome = item.outcome_on(channel) if channel else ScopeItem.Outcome.COVERED
        if outcome == ScopeItem.Outcome.REJECTED:
            name = _("%(name)s – není součástí podpory") % {"name": name}
        elif outcome == ScopeItem.Outcome.BILLABLE:
            name = _("%(name)s – placená práce") % {"name": name}
        choices.append((item.code, name))
    return choices


def add_scope_field(form: forms.Form, vendor, channel: str | None, initial: str = "") -> None:
    """Give ``form`` a "Druh požadavku" choice when the vendor names kinds of request."""
    if vendor is None or not ScopeItem.objects.filter(vendor=vendor).exists():
        return
    form.fields["scope"] = forms.ChoiceField(
        label=_lazy("Druh požadavku"),
        choices=scope_choices(vendor, channel),
        required=False,
        initial=initial,
        help_text=_lazy("Co podpora nepokrývá, je u druhu požadavku uvedeno."),
    )


def scope_label(ticket) -> str:
    """The kind of the ticket's request as its vendor names it, in the active language."""
    if not ticket.scope:
        return ""
    item = ScopeItem.objects.filter(vendor_id=ticket.vendor_id, code=ticket.scope).first()
    return item.label() if item is not None else ticket.scope
