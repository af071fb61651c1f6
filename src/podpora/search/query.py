"""Ranked search of the index: the best matches first, with their title and a snippet in
which the words found are marked (``<mark>``; the text itself is escaped)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import words as w
from .models import Entry

#: a search gives at most this many matches of one kind (the best ones)
MAX_HITS = 500
_NUMBER = re.compile(r"[A-Za-z]{1,10}-\d{1,10}")
# SQLite FTS5 bm25 weights of the columns title, body, notes, meta
_WEIGHTS = "10.0, 1.0, 1.0, 5.0"
_PG_HEADLINE = (
    'StartSel=\x02, StopSel=\x03, MaxWords=24, MinWords=10, MaxFragments=2, FragmentDelimiter=" … "'
)
_PG_TITLE = "StartSel=\x02, StopSel=\x03, HighlightAll=true"


@dataclass(frozen=True)
class Hit:
    ref_id: int
    title: SafeString
    snippet: SafeString


def marked(text: str) -> SafeString:
    """Escaped text with the database's markers turned into ``<mark>``."""
    return mark_safe(escape(text or "").replace("\x02", "<mark>").replace("\x03", "</mark>"))


class Found:
    """The matches of one search, best first: ``ids`` (of tickets, articles or releases) at
    once, titles and snippets (:meth:`hits`) only for the rows shown — reading the text
    costs, ranking does not."""

    def __init__(self, kind: str, terms: list[str], internal: bool, rows: list[tuple[int, int]]):
        self.kind, self.terms, self.internal = kind, terms, internal
        self._entry = dict(rows)  # ref_id -> entry id, in rank order
        self.ids = list(self._entry)

    def __len__(self) -> int:
        return len(self.ids)

    def __bool__(self) -> bool:
        return bool(self.ids)

    def hits(self, ids=None) -> list[Hit]:
        """Title and snippet of ``ids`` (default: all found), in the order given."""
        ids = self.ids if ids is None else [i for i in ids if i in self._entry]
        if not ids:
            return []
        entries = [self._entry[i] for i in ids]
        if connection.vendor == "postgresql":
            rows = _pg_marks(self.terms, entries)
        else:
            rows = _sqlite_marks(self.terms, entries, self.internal)
        by_ref = {}
        for ref, title, body, notes in rows:
            text = notes if self.internal and "\x02" not in body and "\x02" in notes else body
            by_ref[ref] = Hit(ref, marked(title), marked(text))
        return [by_ref.get(i) or Hit(i, marked(""), marked("")) for i in ids]

    def mark(self, rows) -> None:
        """Give each row shown (a ticket, an article, a release) its ``search_hit``: the
        title and snippet with the words found marked."""
        rows = list(rows)
        found = {h.ref_id: h for h in self.hits([r.pk for r in rows])}
        for row in rows:
            row.search_hit = found.get(row.pk)


def _found(kind, text, *, vendor_id=None, where="", params=(), internal=True, limit=MAX_HITS):
    terms = w.terms(text)
    if not terms:
        return Found(kind, [], internal, [])
    params = list(params)
    if vendor_id is not None:
        where = "AND e.vendor_id = %s " + where
        params = [vendor_id, *params]
    if connection.vendor == "postgresql":
        rows = _pg_rank(kind, terms, where, params, internal, limit)
    else:
        rows = _sqlite_rank(kind, terms, where, params, internal, limit)
    return Found(kind, terms, internal, rows)


def _fts5_match(terms, internal):
    match = w.fts5_query(terms)
    return match if internal else "{title body meta} : (" + match + ")"


def _sqlite_rank(kind, terms, where, params, internal, limit):
    sql = f"""
        SELECT e.ref_id, e.id FROM search_fts CROSS JOIN search_entry e ON e.id = search_fts.rowid
        WHERE search_fts MATCH %s AND e.kind = %s {where}
        ORDER BY bm25(search_fts, {_WEIGHTS}), e.id DESC LIMIT %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [_fts5_match(terms, internal), kind, *params, limit])
        return cursor.fetchall()


def _sqlite_marks(terms, entries, internal):
    marks = "char(2), char(3)"
    notes = f"snippet(search_fts, 2, {marks}, ' … ', 24)" if internal else "''"
    sql = f"""
        SELECT e.ref_id, highlight(search_fts, 0, {marks}),
               snippet(search_fts, 1, {marks}, ' … ', 24), {notes}
        FROM search_fts CROSS JOIN search_entry e ON e.id = search_fts.rowid
        WHERE search_fts MATCH %s AND search_fts.rowid IN ({", ".join(["%s"] * len(entries))})
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [_fts5_match(terms, internal), *entries])
        return cursor.fetchall()


def _pg_rank(kind, terms, where, params, internal, limit):
    if internal:
        found, vector = "(e.tsv @@ q OR e.tsv_notes @@ q)", "e.tsv || e.tsv_notes"
    else:
        found, vector = "e.tsv @@ q", "e.tsv"
    sql = f"""
        SELECT e.ref_id, e.id FROM search_entry e, to_tsquery('podpora', %s) q
        WHERE e.kind = %s AND {found} {where}
        ORDER BY ts_rank({vector}, q) DESC, e.id DESC LIMIT %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [w.tsquery(terms), kind, *params, limit])
        return cursor.fetchall()


def _pg_marks(terms, entries):
    sql = """
        SELECT e.ref_id, ts_headline('podpora', e.title, q, %s),
               ts_headline('podpora', e.body, q, %s), ts_headline('podpora', e.notes, q, %s)
        FROM search_entry e, to_tsquery('podpora', %s) q WHERE e.id = ANY(%s)
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [_PG_TITLE, _PG_HEADLINE, _PG_HEADLINE, w.tsquery(terms), entries])
        return cursor.fetchall()


# --- what people search -----------------------------------------------------------------------


def tickets(vendor_id, text, *, organization_id=None, internal=True, limit=MAX_HITS) -> Found:
    """A vendor's tickets (all vendors' with ``vendor_id=None``), best first; a customer's
    search passes their ``organization_id`` and ``internal=False`` (notes neither found nor
    shown). A ticket's number typed whole comes first."""
    where, params = "", []
    if organization_id is not None:
        where, params = "AND e.organization_id = %s", [organization_id]
    found = _found(
        Entry.Kind.TICKET,
        text,
        vendor_id=vendor_id,
        where=where,
        params=params,
        internal=internal,
        limit=limit,
    )
    _number_first(found, (text or "").strip(), vendor_id, organization_id)
    return found


def tickets_for(user, text, *, limit=MAX_HITS) -> Found:
    """The tickets ``user`` searches: staff their vendor's (a superuser all), notes too; a
    customer their organisation's, without internal notes. Callers still narrow the ids to
    ``access.visible_tickets`` (a customer who sees only their own requests)."""
    from podpora.accounts import access

    if access.is_staff(user):
        return tickets(user.vendor_id, text, limit=limit)
    contact = access.contact_of(user)
    if contact is None:
        return Found(Entry.Kind.TICKET, [], False, [])
    return tickets(None, text, organization_id=contact.organization_id, internal=False, limit=limit)


def _number_first(found, text, vendor_id, organization_id):
    if not _NUMBER.fullmatch(text):
        return
    from podpora.tickets.models import Ticket

    found_number = Ticket.objects.filter(number=text.upper())
    if vendor_id is not None:
        found_number = found_number.filter(vendor_id=vendor_id)
    if organization_id is not None:
        found_number = found_number.filter(organization_id=organization_id)
    pk = found_number.values_list("pk", flat=True).first()
    if pk is None or pk not in found._entry:
        return
    found.ids.remove(pk)
    found.ids.insert(0, pk)


def kb(vendor_id, text, *, audiences, drafts: bool, now=None, limit=50) -> Found:
    """Knowledge-base articles the reader may open: ``audiences`` they read, unpublished and
    future articles only with ``drafts`` (staff)."""
    from django.utils import timezone

    audiences = sorted(audiences)
    where = "AND e.audience IN (" + ", ".join(["%s"] * len(audiences)) + ")"
    params = list(audiences)
    if not drafts:
        where += " AND e.published_at <= %s"
        params.append(now or timezone.now())
    return _found(
        Entry.Kind.KB,
        text,
        vendor_id=vendor_id,
        where=where,
        params=params,
        internal=False,
        limit=limit,
    )


def releases(vendor_id, text, *, published_only: bool, now=None, limit=50) -> Found:
    from django.utils import timezone

    where, params = "", []
    if published_only:
        where, params = "AND e.published_at <= %s", [now or timezone.now()]
    return _found(
        Entry.Kind.RELEASE,
        text,
        vendor_id=vendor_id,
        where=where,
        params=params,
        internal=False,
        limit=limit,
    )
