"""Lists whose cost grows with the page, not the table: numbers read from a request, a page
with a bounded count, and keyset cursors.

A list never counts every matching row: it counts up to ``COUNT_LIMIT`` (one query that stops
there) and pages by offset only within that reach; past it the API continues by cursor — the
position of the last row, ``(created_at, id)``, which the matching index walks from directly.

The parsing functions are plain (no database): whatever a URL carries, they answer a value in
the range the database can hold, or say that there is none.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import math
import re

from django.utils.translation import gettext as _

#: the largest value of a 64-bit signed integer column (SQLite INTEGER, PostgreSQL bigint)
MAX_ID = 2**63 - 1
#: how far a list counts its matches and pages by number
COUNT_LIMIT = 10_000

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

_DIGITS = re.compile(r"\d{1,19}", re.ASCII)


def parse_id(text: object) -> int | None:
    """A database id from a request's text: ``None`` unless it is 1 … ``MAX_ID``."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None


def parse_page(text: object, last: int) -> tuple[int, bool]:
    """Page number ``1 … last`` from a request's text, and whether it had to be corrected
    (empty text is page 1, not a correction)."""
    last = max(1, last)
    if text in (None, ""):
        return 1, False
    raw = text.strip() if isinstance(text, str) else ""
    if not re.fullmatch(r"\d{1,30}", raw, re.ASCII):
        return 1, True
    value = int(raw)
    if value < 1:
        return 1, True
    if value > last:
        return last, True
    return value, False


def pages_for(count: int, per_page: int) -> int:
    return max(1, math.ceil(count / per_page))


def encode_cursor(created_at: dt.datetime, pk: int) -> str:
    """The opaque position after a row: its creation instant (UTC microseconds) and id."""
    micros = (created_at - EPOCH) // dt.timedelta(microseconds=1)
    raw = f"{micros}.{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(text: str) -> tuple[dt.datetime, int] | None:
    """``(created_at, id)`` from a cursor, or ``None`` when the text is not one of ours."""
    if not isinstance(text, str) or not 1 <= len(text) <= 80:
        return None
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    match = re.fullmatch(r"(-?\d{1,17})\.(\d{1,19})", raw, re.ASCII)
    if not match:
        return None
    pk = int(match.group(2))
    if not 1 <= pk <= MAX_ID:
        return None
    try:
        at = EPOCH + dt.timedelta(microseconds=int(match.group(1)))
    except OverflowError:
        return None
    return at, pk


class BoundedPage:
    """One page of a list, for the templates' pager (as Django's ``Page`` and its
    ``paginator``): ``count`` stops at the limit, and ``more`` says there are more rows."""

    def __init__(self, rows: list, number: int, per_page: int, count: int, more: bool):
        self.object_list = rows
        self.number = number
        self.per_page = per_page
        self.count = count
        self.more = more
        self.num_pages = pages_for(count, per_page)
        self.paginator = self

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def bounded_count(qs, limit: int | None = None) -> tuple[int, bool]:
    """How many rows match, counted up to ``limit`` (``SELECT COUNT(*) FROM (… LIMIT)``), and
    whether there are more."""
    limit = COUNT_LIMIT if limit is None else limit
    n = qs.order_by().select_related(None).values("pk")[: limit + 1].count()
    return min(n, limit), n > limit


def bounded_page(qs, page_text, per_page: int, limit: int | None = None):
    """The requested page of an ordered queryset in two queries (a bounded count, the rows),
    and whether the page number had to be corrected."""
    count, more = bounded_count(qs, limit)
    number, corrected = parse_page(page_text, pages_for(count, per_page))
    start = (number - 1) * per_page
    rows = list(qs[start : start + per_page])
    return BoundedPage(rows, number, per_page, count, more), corrected


def page_corrected_message(page: BoundedPage) -> str:
    """What a list page says when the page asked for was not there."""
    return _("Požadovaná strana v seznamu není, zobrazena je strana %(n)s.") % {"n": page.number}
