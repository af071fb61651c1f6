"""HR Plus's access by customer state, the same on every channel: a person whose plan opens
only the collector ("Dotaz do Centra podpory": a one-time order, a prospect, a company that
is not in the register) is served there, never by a request under an SLA.

:func:`collector_route` answers for one channel: None when the request is served (or refused
for another reason) there; otherwise the plan whose collector takes it and whether the plan
sells phone consultations. The portal shows the collector page; the e-mail ingest records
the message as the collector does (a question answered at the address it came from, with
the private link); the public form files a logged-in customer as who they are.
"""

from __future__ import annotations

from django.utils import timezone

from podpora.tickets.models import Ticket

from . import services

#: Refusals that mean "not on this channel; the collector is open to you".
_NOT_HERE = frozenset({"channel_not_in_plan", "public_form_only"})


def collector_route(vendor, organization=None, contact=None, channel="portal", on=None):
    """{"plan", "phone"} when a request on ``channel`` would be refused because the person is
    served through the collector; None otherwise (served here, or refused for a reason the
    collector would not change)."""
    on = on or timezone.localdate()

    def probe(on_channel):
        ticket = Ticket(
            vendor=vendor,
            organization=organization,
            contact=contact,
            channel=on_channel,
            type="question",
            language=(contact.language if contact is not None else "") or "cs",
            requester_name=contact.full_name if contact is not None else "",
        )
        return services.evaluate_ticket(ticket, on)

    result, _plan = probe(channel)
    if result.reason not in _NOT_HERE:
        return None
    form, plan = probe("webform")
    if form.status == "rejected" or plan is None:
        return None
    return {"plan": plan, "phone": "phone" in plan.billable_channels}
