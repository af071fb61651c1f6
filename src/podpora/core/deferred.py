"""Rows collected during a block and written in one statement at its end."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T", list, dict)


@contextlib.contextmanager
def collecting(
    pending: contextvars.ContextVar[T | None], empty: Callable[[], T], write: Callable[[T], object]
) -> Iterator[None]:
    """While the block runs, writers add their rows to ``pending.get()`` (``None`` outside
    any block: they write at once); at its end ``write`` gets them all. A nested block leaves
    them to the outer one. Nothing is written if the block raises."""
    if pending.get() is not None:
        yield
        return
    rows = empty()
    token = pending.set(rows)
    try:
        yield
    finally:
        pending.reset(token)
    if rows:
        write(rows)
