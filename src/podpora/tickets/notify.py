"""Notifications about tickets, queued as tasks inside the services' transactions
(``core.queue.enqueue``: committed with the change, or after it)."""

from __future__ import annotations

import contextlib
import contextvars

from podpora.core.queue import enqueue

_muted: contextvars.ContextVar[bool] = contextvars.ContextVar("podpora_muted", default=False)


@contextlib.contextmanager
def muted():
    """No notification and no automatic answer comes of what happens in the block: an old
    mail archive imported must not tell its senders, or the agents, of every message again."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def is_muted() -> bool:
    return _muted.get()


def _enqueue(kind: str, object_id: int) -> None:
    from podpora.mail.tasks import send_notification

    if _muted.get():
        return
    enqueue(send_notification, kind, object_id)


def ticket_created(ticket_id: int) -> None:
    _enqueue("ticket_created", ticket_id)


def agent_replied(article_id: int) -> None:
    _enqueue("agent_replied", article_id)


def customer_wrote(article_id: int) -> None:
    _enqueue("customer_wrote", article_id)


def state_changed(ticket_id: int) -> None:
    _enqueue("state_changed", ticket_id)


def assigned(ticket_id: int) -> None:
    _enqueue("assigned", ticket_id)


def sla_alert(ticket_id: int) -> None:
    _enqueue("sla_alert", ticket_id)


def merged(ticket_id: int) -> None:
    """The customer of a merged request is told where it goes on."""
    _enqueue("merged", ticket_id)
