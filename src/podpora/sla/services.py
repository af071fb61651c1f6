"""SLA clocks of tickets: due instants stored in indexed columns, recomputed on every change.

The arithmetic lives in `clock.py` (pure); this module only chooses the policy and target,
converts rows to values and writes the results and the SLA history.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache

from podpora.core import configcache
from podpora.tickets import events
from podpora.tickets.rules import DONE_STATES, PAUSED_STATES

from . import clock
from .models import SlaPolicy, SlaTarget

RELEASE = "release"
_UNKNOWN = object()


@lru_cache(maxsize=256)
def _calendar(calendar_id: int, version: str, payload: str) -> clock.Calendar:
    import json

    return clock.Calendar.from_dict(json.loads(payload))


def calendar_of(policy: SlaPolicy, ticket=None) -> clock.Calendar:
    """The policy's calendar, or the calendar of the ticket's channel where the vendor set one
    (cloudempiere's phone: working days 8:00–17:00, while the portal runs 24/7)."""
    import json

    cal = policy.calendar
    if ticket is not None:
        # looked up once per ticket object: a recompute asks for the calendar several times
        own = ticket.__dict__.get("_channel_calendar", _UNKNOWN)
        if own is _UNKNOWN:
            from podpora.customers.services import channel_calendars

            own = channel_calendars(ticket.vendor_id).get(ticket.channel)
            ticket.__dict__["_channel_calendar"] = own
        cal = own or cal
    return _calendar(cal.pk, cal.updated_at.isoformat(), json.dumps(cal.as_dict(), sort_keys=True))


def policy_for(ticket) -> SlaPolicy | None:
    """A ticket without a covering contract has no SLA."""
    if ticket.entitlement_status == "rejected":
        return None
    if ticket.contract_id is not None:
        return ticket.contract.effective_sla_policy()
    return ticket.plan.sla_policy if ticket.plan_id is not None else None


def policy_targets(policy: SlaPolicy) -> tuple[SlaTarget, ...]:
    """The policy's targets, read once per configuration version (``core.configcache``):
    shared instances, never change them."""
    return configcache.cached(
        "sla.targets", policy.pk, lambda: tuple(SlaTarget.objects.filter(policy_id=policy.pk))
    )


def target_for(policy: SlaPolicy, priority: int, ticket_type: str) -> SlaTarget | None:
    targets = [t for t in policy_targets(policy) if t.priority == priority]
    for t in targets:
        if t.ticket_type == ticket_type:
            return t
    return next((t for t in targets if not t.ticket_type), None)


def _is_calendar_time(spec: str) -> bool:
    return spec.strip().endswith("d") and not spec.strip().endswith("wd")


def _due(
    cal: clock.Calendar, start: datetime, spec: str, paused_seconds: int = 0
) -> datetime | None:
    if not spec or spec == RELEASE:
        return None
    base = clock.due(cal, start, clock.parse_target(spec))
    if paused_seconds <= 0:
        return base
    if _is_calendar_time(spec):
        # real elapsed time: add in UTC, so the repeated autumn hour is not counted twice
        return (base.astimezone(UTC) + timedelta(seconds=paused_seconds)).astimezone(base.tzinfo)
    return clock.due_seconds(cal, base, paused_seconds)


def due_instant(cal: clock.Calendar, start: datetime, spec: str) -> datetime | None:
    """When a target ``spec`` ("8h", "2wd", "7d") started at ``start`` is due; None for no
    target or "release" (the administration's preview of a policy)."""
    return _due(cal, start, spec)


def _business_seconds(cal: clock.Calendar, start: datetime, end: datetime) -> int:
    value = clock.elapsed(cal, start, end)
    return int(value.total_seconds()) if isinstance(value, timedelta) else int(value)


def _warn_at(
    cal: clock.Calendar, start: datetime, due_at: datetime, spec: str, pct: int, paused: int
):
    if _is_calendar_time(spec):
        real = due_at.astimezone(UTC) - start.astimezone(UTC) - timedelta(seconds=paused)
        return start.astimezone(UTC) + real * pct / 100
    total = _business_seconds(cal, start, due_at) - paused
    return clock.due_seconds(cal, start, paused + total * pct // 100)


def start_clocks(ticket, now: datetime) -> None:
    ticket.sla_policy = policy_for(ticket)
    recompute(ticket, now, reason="created")


def recompute(ticket, now: datetime, reason: str = "changed") -> None:
    """Recompute both due instants from the ticket's creation, its pauses and its priority."""
    policy = ticket.sla_policy = policy_for(ticket)
    old = (ticket.first_response_due, ticket.resolution_due)
    if policy is None:
        ticket.first_response_target = ticket.resolution_target = ""
        ticket.first_response_due = ticket.resolution_due = None
        ticket.sla_next_check = None
    else:
        target = target_for(policy, ticket.priority, ticket.type)
        cal = calendar_of(policy, ticket)
        ticket.first_response_target = target.first_response if target else ""
        ticket.resolution_target = target.resolution if target else ""
        ticket.first_response_due = _due(cal, ticket.created_at, ticket.first_response_target)
        if ticket.resolution_target == RELEASE:
            release = ticket.fixed_in_release
            ticket.resolution_due = release.published_at if release is not None else None
        else:
            ticket.resolution_due = _due(
                cal, resolution_start(ticket), ticket.resolution_target, ticket.sla_paused_seconds
            )
        schedule_next_check(ticket, now)
    if old != (ticket.first_response_due, ticket.resolution_due) or reason == "created":
        events.sla_event(
            ticket,
            "targets",
            reason=reason,
            policy=policy.name if policy else None,
            first_response=ticket.first_response_target,
            resolution=ticket.resolution_target,
            first_response_due=_iso(ticket.first_response_due),
            resolution_due=_iso(ticket.resolution_due),
            at=now,
        )


def resolution_start(ticket) -> datetime:
    """The resolution clock runs from the request's receipt, or from the arrival of the
    customer's data when the request waited for them (Harmonik's data analysis)."""
    return ticket.analysis_started_at or ticket.created_at


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def pending_deadlines(ticket) -> list[tuple[str, datetime, str]]:
    """(clock, due, spec) of the clocks still running."""
    out = []
    if ticket.first_responded_at is None and ticket.first_response_due is not None:
        out.append(("first_response", ticket.first_response_due, ticket.first_response_target))
    if (
        ticket.state not in DONE_STATES
        and ticket.sla_paused_at is None
        and ticket.resolution_due is not None
    ):
        out.append(("resolution", ticket.resolution_due, ticket.resolution_target))
    return out


def warn_instant(ticket, spec: str, due_at: datetime) -> datetime | None:
    policy = ticket.sla_policy
    if policy is None or spec in ("", RELEASE):
        return None
    cal = calendar_of(policy, ticket)
    resolution = due_at == ticket.resolution_due
    paused = ticket.sla_paused_seconds if resolution else 0
    start = resolution_start(ticket) if resolution else ticket.created_at
    return _warn_at(cal, start, due_at, spec, policy.warn_percent, paused)


def schedule_next_check(ticket, now: datetime) -> None:
    """The scanner looks at a ticket only when its next warning or deadline has come."""
    candidates = []
    for _clock_name, due_at, spec in pending_deadlines(ticket):
        if ticket.sla_warned_at is None:
            warn = warn_instant(ticket, spec, due_at)
            if warn is not None:
                candidates.append(warn)
        if not ticket.sla_breached:
            candidates.append(due_at)
    ticket.sla_next_check = min(candidates) if candidates else None


def first_response_done(ticket, now: datetime) -> None:
    if ticket.first_response_due is not None and now > ticket.first_response_due:
        record_breach(ticket, "first_response", now)
    schedule_next_check(ticket, now)


def on_state_changed(ticket, now: datetime) -> None:
    """Pause while the customer owes us an answer; resume with the business time left."""
    policy = ticket.sla_policy
    if ticket.state in PAUSED_STATES and ticket.sla_paused_at is None:
        ticket.sla_paused_at = now
        events.sla_event(ticket, "paused", at=now)
    elif ticket.state not in PAUSED_STATES and ticket.sla_paused_at is not None:
        paused_from = ticket.sla_paused_at
        ticket.sla_paused_at = None
        if policy is not None:
            if _is_calendar_time(ticket.resolution_target):
                added = int((now - paused_from).total_seconds())
            else:
                added = _business_seconds(calendar_of(policy, ticket), paused_from, now)
            ticket.sla_paused_seconds += max(added, 0)
            events.sla_event(
                ticket, "resumed", paused_from=_iso(paused_from), paused_seconds=added, at=now
            )
            recompute(ticket, now, reason="resumed")
    if ticket.state in DONE_STATES and ticket.resolution_due is not None:
        if (
            ticket.withdrawn_at is None
            and ticket.resolved_at
            and ticket.resolved_at > ticket.resolution_due
        ):
            record_breach(ticket, "resolution", now)
    schedule_next_check(ticket, now)


def record_breach(ticket, clock_name: str, now: datetime) -> bool:
    """Record a breach exactly once per ticket; returns whether this call recorded it."""
    if ticket.sla_breached:
        return False
    ticket.sla_breached = True
    ticket.sla_breached_at = now
    events.sla_event(ticket, "breached", clock=clock_name, at=now)
    return True
