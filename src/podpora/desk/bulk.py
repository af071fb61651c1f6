"""Bulk work in the console: one action on many tickets, one transaction per ticket through
the ticket writers of ``tickets.services`` (each change in the ticket's history), and a
summary of what was done and what failed and why.

A ticket that fails (a transition its state does not allow, another organisation's ticket in
a merge) does not stop the others; the summary names it with the writer's reason."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from podpora.accounts import access
from podpora.tickets import services

#: at most this many tickets in one bulk action ("all matching" a large view stops here)
BULK_LIMIT = 500


@dataclass
class Outcome:
    done: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (number, reason)
    capped: bool = False

    def summary(self) -> list[str]:
        """Czech (or the reader's language) sentences: what was done, then each failure."""
        lines = []
        if self.done:
            lines.append(
                ngettext(
                    "Hotovo u %(n)d požadavku.",
                    "Hotovo u %(n)d požadavků.",
                    len(self.done),
                )
                % {"n": len(self.done)}
            )
        if self.failed:
            lines.append(
                ngettext(
                    "U %(n)d požadavku se akce nepovedla:",
                    "U %(n)d požadavků se akce nepovedla:",
                    len(self.failed),
                )
                % {"n": len(self.failed)}
            )
            lines.extend(f"{number}: {reason}" for number, reason in self.failed)
        if self.capped:
            lines.append(
                _("Najednou lze upravit nejvýše %(n)d požadavků; zbylé upravte dalším během.")
                % {"n": BULK_LIMIT}
            )
        if not lines:
            lines.append(_("Žádný požadavek nebyl vybrán."))
        return lines


def _macro_api():
    """The macros' services when the macros module is installed, else ``None``: bulk work
    offers "apply a macro" only then (``macros_for(user, vendor_id)``, ``apply_macro``)."""
    try:
        from podpora.macros import services as macro_services
    except ImportError:
        return None
    if hasattr(macro_services, "macros_for") and hasattr(macro_services, "apply_macro"):
        return macro_services
    return None


def macros_for(user, vendor_id):
    api = _macro_api()
    if api is None or not vendor_id:
        return []
    return list(api.macros_for(user, vendor_id).order_by("name"))


def _writer(action: str, data: dict, actor):
    """The one service call an action makes on one ticket."""
    if action == "assign":
        choice = data["assignee"]
        if choice == "me":
            assignee = actor
        elif choice == "none":
            assignee = None
        else:
            assignee = next((u for u in data["staff"] if str(u.pk) == choice), None)
            if assignee is None:
                raise ValidationError(_("Vybraný řešitel není pracovníkem podpory dodavatele."))
        return lambda t: services.assign_ticket(t, assignee=assignee, actor=actor)
    if action == "state":
        return lambda t: services.change_state(t, data["state"], actor=actor)
    if action == "priority":
        return lambda t: services.set_priority(
            t, impact=data["impact"], urgency=data["urgency"], actor=actor
        )
    if action == "team":
        return lambda t: services.set_team(t, data["team"], actor=actor)
    if action == "escalate":
        return lambda t: services.escalate_ticket(t, actor=actor, reason=data.get("body", ""))
    if action == "note":
        return lambda t: services.add_note(t, data["body"], actor=actor)
    if action == "merge":
        into = access.visible_tickets(actor).filter(number=data["into"].strip().upper()).first()
        if into is None:
            raise ValidationError(_("Cílový požadavek %(n)s neexistuje.") % {"n": data["into"]})
        if into.merged_into_id:
            raise ValidationError(_("Cílový požadavek je sám sloučen do jiného."))

        def merge(t):
            if t.pk == into.pk:
                raise ValidationError(_("Cílový požadavek nelze sloučit sám do sebe."))
            if t.merged_into_id:
                raise ValidationError(_("Požadavek už je sloučen do jiného."))
            return services.merge_tickets(t, into, actor=actor)

        return merge
    if action == "macro":
        api = _macro_api()
        macro = next((m for m in data.get("macros", ()) if str(m.pk) == data["macro"]), None)
        if api is None or macro is None:
            raise ValidationError(_("Vybrané makro není k dispozici."))
        return lambda t: api.apply_macro(t, macro, actor)
    raise ValidationError(_("Neznámá akce."))


def _reason(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def run(tickets, action: str, data: dict, *, actor) -> Outcome:
    """Apply ``action`` to each of ``tickets`` (a queryset the actor may see), each ticket in
    its own transaction (the writers' own)."""
    outcome = Outcome()
    try:
        write = _writer(action, data, actor)
    except ValidationError as exc:
        outcome.failed.append((_("všechny"), _reason(exc)))
        return outcome
    rows = list(tickets[: BULK_LIMIT + 1])
    if len(rows) > BULK_LIMIT:
        rows, outcome.capped = rows[:BULK_LIMIT], True
    for ticket in rows:
        try:
            write(ticket)
        except ValidationError as exc:
            outcome.failed.append((ticket.number, _reason(exc)))
        except DatabaseError:
            outcome.failed.append(
                (ticket.number, _("Databáze změnu nepřijala, zkuste to prosím znovu."))
            )
        else:
            outcome.done.append(ticket.number)
    return outcome
