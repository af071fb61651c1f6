"""Notifications in the console: the one writer of :class:`~podpora.desk.models.Notification`.

Ticket history is recorded by ``tickets.events``; every entry passes through :func:`on_event`
(registered as a listener when the app starts), inside the service's transaction, so a change
that rolls back leaves no notification behind. What is new for an agent:

- a ticket assigned to them (by someone else),
- a customer's message on a ticket assigned to them,
- an SLA warning or breach on a ticket assigned to them,
- a mention ``@username`` in an internal note (colleagues of the ticket's vendor).
"""

from __future__ import annotations

import re

from django.utils import timezone

from .models import Notification

_MENTION = re.compile(r"(?<![\w@.])@([A-Za-z0-9_][A-Za-z0-9_.+-]{0,149})")

#: at most this many notifications are shown on the page (newest first)
PAGE_SIZE = 50


def mentions(text: str) -> list[str]:
    """The user names mentioned as ``@username`` in a text, in order, each once. An e-mail
    address (``jan@firma.cz``) is no mention; a full stop or comma after a name ends it."""
    found = []
    for match in _MENTION.finditer(text or ""):
        name = match.group(1).rstrip(".-+")
        if name and name not in found:
            found.append(name)
    return found


def on_event(event) -> None:
    """Listener of ``tickets.events``: notify who should know of this history entry."""
    ticket = event.ticket
    if ticket.pk is None:  # a ticket being created: nobody is assigned yet
        return
    actor_id = event.actor_id
    label = event.actor_label
    kind = event.kind
    if kind == "assigned":
        _notify([ticket.assignee_id], ticket, Notification.Kind.ASSIGNED, actor_id, label, event)
    elif kind == "message_added":
        actor = event.actor
        if actor is None or not actor.is_vendor_staff:
            _notify(
                [ticket.assignee_id],
                ticket,
                Notification.Kind.CUSTOMER_REPLIED,
                actor_id,
                label,
                event,
            )
    elif kind == "sla_warned":
        _notify([ticket.assignee_id], ticket, Notification.Kind.SLA_WARNING, None, "", event)
    elif kind == "sla_breached":
        _notify([ticket.assignee_id], ticket, Notification.Kind.SLA_BREACHED, None, "", event)
    elif kind == "note_added":
        _mentioned(ticket, event)


def _mentioned(ticket, event) -> None:
    from podpora.accounts.models import User
    from podpora.tickets.models import Article

    body = (
        Article.objects.filter(pk=event.data.get("article")).values_list("body", flat=True).first()
    )
    names = mentions(body or "")
    if not names:
        return
    people = User.objects.filter(
        username__in=names, kind=User.Kind.STAFF, vendor_id=ticket.vendor_id, is_active=True
    ).values_list("pk", flat=True)
    _notify(
        list(people), ticket, Notification.Kind.MENTION, event.actor_id, event.actor_label, event
    )


def _notify(recipients, ticket, kind, actor_id, label, event) -> None:
    wanted = {pk for pk in recipients if pk is not None and pk != actor_id}
    if not wanted:
        return
    at = event.created_at or timezone.now()
    Notification.objects.bulk_create(
        Notification(recipient_id=pk, ticket=ticket, kind=kind, actor_label=label, created_at=at)
        for pk in sorted(wanted)
    )


#: the header counts unread notifications up to this many ("99+")
UNREAD_LIMIT = 99


def unread_count(user) -> str:
    """How many notifications the user has not read yet, as the header shows it: a bounded
    count (one query that stops at the limit), ``""`` for none."""
    from podpora.core.paging import bounded_count

    n, more = bounded_count(
        Notification.objects.filter(recipient=user, read_at__isnull=True), UNREAD_LIMIT
    )
    return f"{n}+" if more else (str(n) if n else "")


def recent(user, limit: int = PAGE_SIZE) -> list[Notification]:
    """The user's newest notifications with their tickets (one query)."""
    qs = Notification.objects.filter(recipient=user).select_related("ticket")
    return list(qs.order_by("-created_at", "-id")[:limit])


def mark_read(user, ids=None, *, now=None) -> int:
    """Mark the user's notifications read: the given ids, or all of them. Only their own."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=now or timezone.now())


def mark_ticket_read(user, ticket) -> int:
    """Opening a ticket reads what was new about it."""
    return Notification.objects.filter(recipient=user, ticket=ticket, read_at__isnull=True).update(
        read_at=timezone.now()
    )
