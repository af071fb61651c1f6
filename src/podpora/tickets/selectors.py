"""Reads of tickets: queue lists at a constant number of queries, timelines, search."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, Value, When

from podpora.core.paging import parse_id
from podpora.core.text import fold
from podpora.customers.models import Organization

from .history import INTERNAL_KINDS
from .models import Article, Event, Ticket
from .rules import OPEN_STATES

LIST_RELATED = ("organization", "contact", "assignee", "product", "version", "team")
#: an organisation filter by name matches at most this many organisations
MAX_ORGANIZATIONS = 200
#: the open states in one fixed order, so that the SQL (and its plan) is the same every time
OPEN_STATE_VALUES = sorted(s.value for s in OPEN_STATES)


def list_tickets(
    base, *, state: str = "", organization: str = "", q: str = "", only_open=False, ranked=None
):
    """``ranked``: ids a search found, best first; the list keeps their order."""
    qs = base.select_related(*LIST_RELATED)
    if state:
        qs = qs.filter(state__in=state.split(","))
    elif only_open:
        qs = qs.filter(state__in=OPEN_STATE_VALUES)
    if organization.strip():
        ids = organization_ids(organization)
        # One organisation as an equality, so that the index on (organization, created_at)
        # gives the rows in the list's order and the page stops after its rows.
        qs = (
            qs.filter(organization_id=ids[0])
            if len(ids) == 1
            else qs.filter(organization_id__in=ids)
        )
    if ranked is not None:
        place = [When(pk=pk, then=Value(i)) for i, pk in enumerate(ranked)]
        order = Case(*place, default=Value(len(place)), output_field=IntegerField())
        return qs.filter(pk__in=ranked).order_by(order, "-id")
    if q:
        for word in fold(q).split():
            qs = qs.filter(search_text__contains=word)
    return qs.order_by("-created_at", "-id")


def organization_ids(text: str) -> list[int]:
    """The organisations an "organisation" filter names: by id or IČO when it is a number (a
    number too large for an id is only an IČO), else by part of the name."""
    text = text.strip()
    if text.isdigit():
        pk = parse_id(text)
        match = Q(ico=text) | Q(pk=pk) if pk is not None else Q(ico=text)
    else:
        match = Q(name__icontains=text)
    found = Organization.objects.filter(match).order_by("pk").values_list("pk", flat=True)
    return list(found[:MAX_ORGANIZATIONS])


def after(qs, position):
    """The rows of a list ordered by (-created_at, -id) that come after ``position``: a range
    on the index rather than an offset counted from the start."""
    at, pk = position
    return qs.filter(created_at__lte=at).filter(Q(created_at__lt=at) | Q(pk__lt=pk))


def timeline(ticket: Ticket, *, internal: bool):
    """Articles and events merged by time; customers see neither notes nor internal events."""
    articles = (
        Article.objects.filter(ticket=ticket)
        .select_related("author")
        .prefetch_related("attachments")
    )
    evs = Event.objects.filter(ticket=ticket)
    if not internal:
        articles = articles.filter(internal=False)
        # the kind decides too: older rows of escalations were stored as visible
        evs = evs.filter(customer_visible=True).exclude(kind__in=INTERNAL_KINDS)
        evs = evs.exclude(kind__startswith="sla_")
    items = [("article", a.created_at, a) for a in articles] + [
        ("event", e.created_at, e) for e in evs
    ]
    items.sort(key=lambda item: (item[1], 0 if item[0] == "event" else 1))
    return items


def sla_events(items) -> list:
    """The SLA's events of a staff :func:`timeline` (which holds them), oldest first."""
    events = [i[2] for i in items if i[0] == "event" and i[2].kind.startswith("sla_")]
    return sorted(events, key=lambda e: (e.created_at, e.pk))
