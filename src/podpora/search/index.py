"""The one writer of the search index (``search.Entry``): called by the writers of tickets,
knowledge-base articles and releases in their own transaction, and by ``search-rebuild``.

The database turns the rows into its full-text index by triggers (migration 0002), so a
change and its index commit or roll back together."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection, transaction

from .models import Entry
from .words import number_forms

#: characters of a ticket's conversation kept for search (the first of it: the request)
MAX_TEXT = 20_000
#: the markers of a highlighted word; removed from stored text so they mean only that
MARKS = str.maketrans("", "", "\x02\x03")

Kind = Entry.Kind


def _clean(text: str) -> str:
    return (text or "").translate(MARKS)


def _upsert(kind: str, ref_id: int, fields: dict, *, new: bool = False) -> None:
    if new or not Entry.objects.filter(kind=kind, ref_id=ref_id).update(**fields):
        Entry.objects.create(kind=kind, ref_id=ref_id, **fields)


def _ticket_meta(number, org_name, ico, first, last, email, name) -> str:
    parts = [number_forms(number), org_name, ico, first, last, email, name]
    return _clean(" ".join(p for p in parts if p))


def ticket(t, *, body: str | None = None) -> None:
    """Index a ticket as it is now. ``body``: the opening article's text of a new ticket
    (nothing else to read yet)."""
    from podpora.tickets.models import Article, Ticket

    names = _names(t, Ticket)
    if body is not None:
        public, notes = body, ""
    else:
        texts = Article.objects.filter(ticket_id=t.pk).order_by("created_at", "id")
        rows = list(texts.values_list("body", "internal"))
        public = "\n".join(b for b, internal in rows if not internal and b)
        notes = "\n".join(b for b, internal in rows if internal and b)
    fields = {
        "vendor_id": t.vendor_id,
        "organization_id": t.organization_id,
        "title": _clean(t.subject),
        "body": _clean(public)[:MAX_TEXT],
        "notes": _clean(notes)[:MAX_TEXT],
        "meta": _ticket_meta(
            t.number, names[0], names[1], names[2], names[3], t.requester_email, t.requester_name
        ),
        "language": t.language or "",
    }
    _upsert(Kind.TICKET, t.pk, fields, new=body is not None)


def _names(t, Ticket) -> tuple[str, str, str, str]:
    """The organisation's name and IČO and the contact's name: from the instance when it
    holds them (a new ticket), else in one query."""
    fields = Ticket._meta
    org_cached = t.organization_id is None or fields.get_field("organization").is_cached(t)
    contact_cached = t.contact_id is None or fields.get_field("contact").is_cached(t)
    if org_cached and contact_cached:
        org, contact = t.organization, t.contact
        return (
            org.name if org else "",
            org.ico if org else "",
            contact.first_name if contact else "",
            contact.last_name if contact else "",
        )
    row = (
        Ticket.objects.filter(pk=t.pk)
        .values_list(
            "organization__name", "organization__ico", "contact__first_name", "contact__last_name"
        )
        .first()
    )
    return tuple(v or "" for v in row) if row else ("", "", "", "")


def kb_article(a) -> None:
    _upsert(
        Kind.KB,
        a.pk,
        {
            "vendor_id": a.vendor_id,
            "audience": a.audience,
            "language": a.language,
            "published_at": a.published_at,
            "title": _clean(a.title),
            "body": _clean(a.body)[:MAX_TEXT],
            "meta": "",
        },
    )


def release(r) -> None:
    from podpora.catalog.models import Release

    product, version, vendor_id = (
        Release.objects.filter(pk=r.pk)
        .values_list("product__name", "version__name", "product__vendor_id")
        .get()
    )
    _upsert(
        Kind.RELEASE,
        r.pk,
        {
            "vendor_id": vendor_id,
            "published_at": r.published_at,
            "title": _clean(f"{product} {version}"),
            "body": _clean(r.notes)[:MAX_TEXT],
            "meta": "",
        },
    )


def forget(kind: str, ref_id: int) -> None:
    Entry.objects.filter(kind=kind, ref_id=ref_id).delete()


# --- rebuilding everything --------------------------------------------------------------------

#: tickets per statement of a rebuild
BATCH = 20_000


def _ticket_sql(vendor: str) -> str:
    if vendor == "postgresql":
        number = (
            "t.number || ' ' || split_part(t.number, '-', 1) || '-' || "
            "coalesce(nullif(ltrim(split_part(t.number, '-', 2), '0'), ''), '0') || ' ' || "
            "coalesce(nullif(ltrim(split_part(t.number, '-', 2), '0'), ''), '0')"
        )
        body = "substr(coalesce(string_agg(a.body, E'\\n' ORDER BY a.created_at, a.id) FILTER (WHERE NOT a.internal), ''), 1, {n})"
        notes = "substr(coalesce(string_agg(a.body, E'\\n' ORDER BY a.created_at, a.id) FILTER (WHERE a.internal), ''), 1, {n})"
        concat = " || ' ' || "
        clean = "translate({}, E'\\x02\\x03', '')"
    else:
        digits = "substr(t.number, instr(t.number, '-') + 1)"
        short = f"coalesce(nullif(ltrim({digits}, '0'), ''), '0')"
        number = f"t.number || ' ' || substr(t.number, 1, instr(t.number, '-')) || {short} || ' ' || {short}"
        body = "substr(coalesce(group_concat(CASE WHEN NOT a.internal THEN a.body END, char(10)), ''), 1, {n})"
        notes = "substr(coalesce(group_concat(CASE WHEN a.internal THEN a.body END, char(10)), ''), 1, {n})"
        concat = " || ' ' || "
        clean = "replace(replace({}, char(2), ''), char(3), '')"
    meta = concat.join(
        [
            number,
            "coalesce(o.name, '')",
            "coalesce(o.ico, '')",
            "coalesce(c.first_name, '')",
            "coalesce(c.last_name, '')",
            "t.requester_email",
            "t.requester_name",
        ]
    )
    return f"""
        INSERT INTO search_entry (kind, ref_id, vendor_id, organization_id, audience, language,
                                  published_at, title, body, notes, meta)
        SELECT 'ticket', t.id, t.vendor_id, t.organization_id, '', t.language, NULL,
               {clean.format("t.subject")}, {clean.format(body.format(n=MAX_TEXT))},
               {clean.format(notes.format(n=MAX_TEXT))}, trim({clean.format(meta)})
        FROM tickets_ticket t
        LEFT JOIN customers_organization o ON o.id = t.organization_id
        LEFT JOIN customers_contact c ON c.id = t.contact_id
        LEFT JOIN tickets_article a ON a.ticket_id = t.id
        WHERE t.id > %s AND t.id <= %s
        GROUP BY t.id, t.vendor_id, t.organization_id, t.language, t.subject, t.number,
                 o.name, o.ico, c.first_name, c.last_name, t.requester_email, t.requester_name
    """


def rebuild(progress: Callable[[int, int], None] | None = None) -> int:
    """Index every ticket, article and release again from scratch; returns the entries."""
    from podpora.catalog.models import Release
    from podpora.kb.models import Article as KbArticle

    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0), count(*) FROM tickets_ticket")
        top, total = cursor.fetchone()
    kb = KbArticle.objects.all()
    releases = Release.objects.all()
    total += kb.count() + releases.count()
    done = 0
    sql = _ticket_sql(connection.vendor)
    sqlite = connection.vendor == "sqlite"
    # One transaction: searches see the old index until the new one commits, and a rebuild
    # that fails leaves the old one as it was.
    with transaction.atomic(), connection.cursor() as cursor:
        if sqlite:
            # The FTS5 index is built once from the rows at the end, not row by row.
            for name in ("search_entry_ai", "search_entry_ad", "search_entry_au"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute("DELETE FROM search_entry")
        low = 0
        while low < top:
            cursor.execute(sql, [low, low + BATCH])
            done += cursor.rowcount if cursor.rowcount > 0 else 0
            low += BATCH
            if progress:
                progress(done, total)
        for a in kb.iterator():
            kb_article(a)
            done += 1
        for r in releases.iterator():
            release(r)
            done += 1
        if sqlite:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
            for statement in _sqlite_triggers():
                cursor.execute(statement)
    if progress:
        progress(done, total)
    return Entry.objects.count()


def _sqlite_triggers() -> list[str]:
    from importlib import import_module

    return import_module("podpora.search.migrations.0002_fulltext").SQLITE[1:]
