"""One function per kind of history entry; the only place that writes Event rows."""

from __future__ import annotations

import contextvars
from typing import Any

from django.utils import timezone

from podpora.core import deferred

from .models import Event, Ticket

#: functions called with every history entry as it is made, inside the writer's transaction
#: (the console's notifications register here when the app starts: ``desk.apps``)
listeners: list = []

_pending: contextvars.ContextVar[list[Event] | None] = contextvars.ContextVar(
    "podpora_pending_events", default=None
)


def batched():
    """Write the events of a block in one INSERT at its end, in the order they were made.

    For a service that writes several entries at once (a new ticket: created, entitlement,
    SLA targets); the events may even be made before their ticket is first saved. Nothing
    is written if the block raises."""
    return deferred.collecting(_pending, list, Event.objects.bulk_create)


def _write(
    ticket: Ticket,
    kind: str,
    actor=None,
    channel: str = "",
    customer_visible: bool = True,
    **data: Any,
) -> Event:
    at = data.pop("at", None) or timezone.now()
    label = data.pop("actor_label", "")
    if not label and actor is not None:
        label = actor.get_full_name() or actor.get_username()
    event = Event(
        ticket=ticket,
        kind=kind,
        actor=actor if actor is not None and actor.pk else None,
        actor_label=label,
        channel=channel,
        customer_visible=customer_visible,
        data=data,
        created_at=at,
    )
    pending = _pending.get()
    if pending is not None:
        pending.append(event)
    else:
        event.save(force_insert=True)
    for listener in listeners:
        listener(event)
    return event


def created_event(ticket, actor, channel, actor_label="", at=None):
    return _write(
        ticket, "created", actor, channel, actor_label=actor_label, subject=ticket.subject, at=at
    )


def message_event(ticket, actor, channel, article_id, internal, actor_label="", at=None):
    kind = "note_added" if internal else "message_added"
    return _write(
        ticket,
        kind,
        actor,
        channel,
        customer_visible=not internal,
        article=article_id,
        actor_label=actor_label,
        at=at,
    )


def state_changed_event(ticket, actor, channel, old, new, actor_label="", at=None, withdrawn=False):
    extra = {"withdrawn": True} if withdrawn else {}
    return _write(
        ticket,
        "state_changed",
        actor,
        channel,
        old=old,
        new=new,
        actor_label=actor_label,
        at=at,
        **extra,
    )


def priority_changed_event(ticket, actor, channel, old, new, impact, urgency, at=None):
    return _write(
        ticket,
        "priority_changed",
        actor,
        channel,
        old=old,
        new=new,
        impact=impact,
        urgency=urgency,
        at=at,
    )


def assigned_event(ticket, actor, channel, old, new, team, at=None, old_label="", new_label=""):
    """``old``/``new``: user names; ``*_label``: the names people read."""
    return _write(
        ticket,
        "assigned",
        actor,
        channel,
        customer_visible=False,
        old=old,
        new=new,
        team=team,
        old_label=old_label,
        new_label=new_label,
        at=at,
    )


def escalated_event(ticket, actor, channel, old_level, new_level, reason, at=None):
    return _write(
        ticket,
        "escalated",
        actor,
        channel,
        customer_visible=False,
        old=old_level,
        new=new_level,
        reason=reason,
        at=at,
    )


def linked_event(ticket, actor, channel, kind, other, at=None):
    return _write(
        ticket, "linked", actor, channel, customer_visible=False, link=kind, other=other, at=at
    )


def merged_event(ticket, actor, channel, into, at=None):
    return _write(ticket, "merged", actor, channel, into=into, at=at)


def fixed_in_release_event(ticket, actor, channel, release, at=None):
    return _write(ticket, "fixed_in_release", actor, channel, release=release, at=at)


def entitlement_event(
    ticket, actor, channel, status, reason, overridden=False, note="", at=None, params=None
):
    """``params``: the reason's parameters (default: the ticket's), rendered when shown."""
    if params is None and not overridden:
        params = dict(getattr(ticket, "entitlement_params", None) or {})
    return _write(
        ticket,
        "entitlement",
        actor,
        channel,
        customer_visible=False,
        status=status,
        reason=reason,
        overridden=overridden,
        note=note,
        params=params or {},
        at=at,
    )


def sla_event(ticket, kind, **data):
    """SLA history: targets set, paused, resumed, warned, breached."""
    return _write(ticket, f"sla_{kind}", None, "system", customer_visible=False, **data)


def field_changed_event(ticket, actor, channel, field, old, new, at=None):
    return _write(ticket, "field_changed", actor, channel, field=field, old=old, new=new, at=at)
