"""Using a macro on a ticket. The ticket changes go through the ticket writers
(``tickets.services``); this module only decides what a macro asks for."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from podpora.core.greeting import salutation, vocative_address
from podpora.tickets import services as tickets

from .models import Macro
from .placeholders import fill
from .words import promised_in_words


def macros_for(user, vendor_id: int):
    """The active macros an agent may use on a ticket of ``vendor_id``: the vendor's own and
    those of the teams they are in."""
    qs = Macro.objects.filter(vendor_id=vendor_id, is_active=True)
    if getattr(user, "is_superuser", False):
        return qs
    return qs.filter(Q(team__isnull=True) | Q(team__members=user)).distinct()


def _language(ticket) -> str:
    contact = ticket.contact
    lang = (contact.language if contact is not None else "") or ticket.language or "cs"
    return lang if lang in ("cs", "sk", "en") else "cs"


def placeholder_values(ticket, actor) -> dict[str, str]:
    lang = _language(ticket)
    contact = ticket.contact
    first, last = (contact.first_name, contact.last_name) if contact is not None else ("", "")
    return {
        "osloveni": salutation(first, last, lang),
        "jmeno": vocative_address(first, last, lang),
        "cislo": ticket.number,
        "termin": promised_in_words(ticket.resolution_due or ticket.first_response_due, lang),
        "produkt": ticket.product.name if ticket.product_id else "",
        "verze": ticket.version.name if ticket.version_id else "",
        "agent": (actor.get_full_name() or actor.get_username()) if actor is not None else "",
    }


def render_macro(ticket, macro: Macro, actor) -> str:
    """The macro's text for this ticket, in its customer's language, placeholders filled."""
    return fill(macro.body_for(_language(ticket)), placeholder_values(ticket, actor)).strip()


@dataclass
class Applied:
    ticket: object
    article: object | None = None
    changes: list[str] = field(default_factory=list)


def apply_macro(
    ticket, macro: Macro, actor, *, body: str | None = None, channel="console"
) -> Applied:
    """Apply ``macro`` to ``ticket`` as ``actor``, in one transaction: its kind, type, priority
    and assignee first, then its text as a reply to the customer (``body`` instead when the
    agent edited it) together with its state, or only the state when there is no text.

    Raises ``ValidationError`` (nothing written) when the macro is of another vendor or a
    writer refuses a change."""
    if macro.vendor_id != ticket.vendor_id:
        raise ValidationError({"macro": [_("Makro patří jinému dodavateli.")]})
    if not macro.is_active:
        raise ValidationError({"macro": [_("Makro není aktivní.")]})
    text = render_macro(ticket, macro, actor) if body is None else body
    done = Applied(ticket=ticket)
    with transaction.atomic():
        if macro.set_type or macro.set_scope:
            current = tickets._locked(ticket)
            ticket = tickets.reclassify(
                current,
                scope=macro.set_scope or current.scope,
                ticket_type=macro.set_type or current.type,
                actor=actor,
                channel=channel,
            )
            done.changes.append("type")
        if macro.set_impact or macro.set_urgency:
            current = tickets._locked(ticket)
            ticket = tickets.set_priority(
                current,
                impact=macro.set_impact or current.impact,
                urgency=macro.set_urgency or current.urgency,
                actor=actor,
                channel=channel,
            )
            done.changes.append("priority")
        assignee = actor if macro.assign_to_actor else macro.set_assignee
        if assignee is not None:
            ticket = tickets.assign_ticket(ticket, assignee=assignee, actor=actor, channel=channel)
            done.changes.append("assignee")
        if (text or "").strip():
            done.article = tickets.reply(
                ticket, text, actor=actor, new_state=macro.set_state or None, channel=channel
            )
            done.changes.append("reply")
        elif macro.set_state:
            ticket = tickets.change_state(ticket, macro.set_state, actor=actor, channel=channel)
            done.changes.append("state")
    done.ticket = type(ticket).objects.get(pk=ticket.pk)
    return done
