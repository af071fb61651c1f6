"""Configuration that changes a few times a year, cached per process and checked on every use.

Mailboxes, vendors, organisations, plans, contracts, subscriptions, SLA policies, targets and
calendars are read for every new ticket. Database triggers (migration ``core/0002``) change
the token in ``core_configversion`` on every insert, update or delete of those tables,
whoever writes (another process, ``QuerySet.update()``, bulk operations, raw SQL).
``cached()`` reads the token with one cheap query and drops everything cached when it differs
from the one the entries were loaded under, so the next use after a committed change anywhere
sees it.

Why this is safe:

* The token is read *before* loading. A change committed between the two reads only makes the
  entry look older than its rows (one extra reload later), never newer (a stale hit).
* A transaction sees its own uncommitted token, so what it loads after its own change is cached
  under that token. The token never takes a value twice (nextval of a sequence on PostgreSQL,
  which does not roll back; a 64-bit random() on SQLite; never "token + 1"): after a rollback
  no later committed change can bring that value back and make the rolled-back rows pass
  for current.
* A missing row (a test database just flushed) or a database without the triggers
  gives ``None``, and nothing is cached.

The cost is on the writers: a transaction that writes one of those tables holds the token row
until it commits, so such transactions queue one after another. Fine for configuration; keep
frequent writes off those tables (the mailbox poll status is left out of the triggers for this).

Cached values are shared by every caller in the process (and its threads): treat them as read
only. Never change or save a model instance obtained from here.
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.db import connection

T = TypeVar("T")

MAX_ENTRIES = 1000  # per kind; there can be many organisations (and days)
_VENDORS_WITH_TRIGGERS = frozenset({"sqlite", "postgresql"})
_SQL = "SELECT token FROM core_configversion WHERE id = 1"

_lock = threading.Lock()
_token: int | None = None  # the token every entry in _entries was loaded under
_entries: dict[str, dict[Hashable, Any]] = {}
_pinned: contextvars.ContextVar[tuple[int | None] | None] = contextvars.ContextVar(
    "podpora_config_token", default=None
)


def version() -> int | None:
    """The current token as this connection sees it; None when nothing can be cached."""
    if connection.vendor not in _VENDORS_WITH_TRIGGERS:
        return None  # nothing would ever tell us of a change
    with connection.cursor() as cursor:
        cursor.execute(_SQL)
        row = cursor.fetchone()
    return row[0] if row else None


@contextlib.contextmanager
def one_read():
    """Read the token once for the whole block: every :func:`cached` inside uses it.

    Only for a block that writes none of the covered tables (the e-mail ingest applying a
    message): its own writes could not change the token it holds. A change committed by
    someone else meanwhile is seen by the next block, as if this one had started earlier.
    Saves a round trip per cached value on PostgreSQL (three or four per new ticket)."""
    token = _pinned.set((version(),))
    try:
        yield
    finally:
        _pinned.reset(token)


def cached(kind: str, key: Hashable, load: Callable[[], T]) -> T:
    """``load()``'s value for (kind, key), loaded under the current token at most once."""
    global _token
    pinned = _pinned.get()
    token = pinned[0] if pinned is not None else version()  # before load(), see above
    if token is None:
        return load()
    with _lock:
        if token != _token:
            _entries.clear()
            _token = token
        entries = _entries.setdefault(kind, {})
        if key in entries:
            value = entries.pop(key)
            entries[key] = value  # most recently used last, so evicted last
            return value
    value = load()
    with _lock:
        if _token == token:  # another thread may have seen a newer token meanwhile
            entries = _entries.setdefault(kind, {})
            if len(entries) >= MAX_ENTRIES:
                del entries[next(iter(entries))]  # the least recently used
            entries[key] = value
    return value


def forget(kind: str | None = None) -> None:
    """Drop the entries of one kind, or all; the next use loads them again."""
    with _lock:
        if kind is None:
            _entries.clear()
        else:
            _entries.pop(kind, None)
