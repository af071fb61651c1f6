"""The SLA scanner: claims tickets whose next check has come and warns, breaches, escalates.

Several workers may run it at once: a ticket is claimed by a conditional UPDATE that only one
of them wins, and the claim is a short lease, so a worker that dies mid-way leaves the ticket to
be checked again rather than forgotten.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from podpora.tickets import events, notify
from podpora.tickets.models import Ticket

from . import services

log = logging.getLogger(__name__)
LEASE = dt.timedelta(minutes=5)


def claim_due(now: dt.datetime, limit: int) -> list[int]:
    candidates = list(
        Ticket.objects.filter(sla_next_check__lte=now)
        .order_by("sla_next_check")
        .values_list("pk", "sla_next_check")[:limit]
    )
    claimed = []
    for pk, check in candidates:
        won = Ticket.objects.filter(pk=pk, sla_next_check=check).update(sla_next_check=now + LEASE)
        if won:
            claimed.append(pk)
    return claimed


def check_ticket(pk: int, now: dt.datetime) -> str:
    """Warn at the policy's share of the target, breach once at the due instant."""
    from podpora.tickets import services as ticket_services

    with transaction.atomic():
        ticket = (
            Ticket.objects.select_for_update(of=("self",)).select_related("sla_policy").get(pk=pk)
        )
        outcome = "none"
        escalate = False
        for clock_name, due_at, spec in services.pending_deadlines(ticket):
            if now >= due_at:
                if services.record_breach(ticket, clock_name, now):
                    outcome = "breached"
                    escalate = bool(ticket.sla_policy and ticket.sla_policy.escalate_on_breach)
                break
            warn = services.warn_instant(ticket, spec, due_at)
            if ticket.sla_warned_at is None and warn is not None and now >= warn:
                ticket.sla_warned_at = now
                events.sla_event(ticket, "warned", clock=clock_name, due=due_at.isoformat(), at=now)
                outcome = "warned"
                break
        services.schedule_next_check(ticket, now)
        ticket.save(
            update_fields=["sla_breached", "sla_breached_at", "sla_warned_at", "sla_next_check"]
        )
        if escalate:
            ticket_services.escalate_ticket(ticket, reason="SLA", channel="system", now=now)
        if outcome != "none":
            notify.sla_alert(pk)
    return outcome


def scan(now: dt.datetime | None = None, limit: int = 1000) -> dict[str, int]:
    now = now or timezone.now()
    counts = {"checked": 0, "warned": 0, "breached": 0}
    for pk in claim_due(now, limit):
        try:
            outcome = check_ticket(pk, now)
        except Exception:  # noqa: BLE001 - one broken ticket must not stop the scan; its lease expires
            log.exception("SLA check of ticket %s failed", pk)
            continue
        counts["checked"] += 1
        if outcome in counts:
            counts[outcome] += 1
    return counts
