"""Previews on the administration's pages: an SLA policy's due instants for a sample request
(the SLA engine itself) and a knowledge-base article's Markdown as customers will read it."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _

from podpora.tickets.history import when


def sla_due(policy, start: datetime) -> list[dict]:
    """For each target of ``policy``: the first response and resolution due for a request
    received at ``start``, in words."""
    from podpora.sla import clock, services
    from podpora.tickets.models import TYPE_CHOICES

    cal = services.calendar_of(policy)
    types = dict(TYPE_CHOICES)
    out = []
    for target in policy.targets.order_by("priority", "ticket_type"):
        row = {
            "priority": target.priority,
            "type": str(types.get(target.ticket_type, target.ticket_type)) or _("všechny"),
        }
        for key in ("first_response", "resolution"):
            spec = getattr(target, key)
            if not spec:
                row[key] = _("bez cíle")
            elif spec == services.RELEASE:
                row[key] = _("v příští oficiální aktualizaci")
            else:
                try:
                    row[key] = when(services.due_instant(cal, start, spec))
                except (ValueError, clock.NoWorkingTimeError):
                    row[key] = _("nelze spočítat")
        out.append(row)
    return out


def markdown(text: str) -> str:
    from podpora.kb.render import to_html

    return to_html(text or "")
