"""Reads of tickets: queue lists at a constant number of queries, timelines, search."""

from __future__ import annotations

from django.db.models import Q

from podpora.core.text import fold

from .history import INTERNAL_KINDS
from .models import Article, Event, Ticket
from .rules import OPEN_STATES

LIST_RELATED = ("organization", "contact", "assignee", "product", "version", "team", "vendor")


def list_tickets(base, *, state: str = "", organization: str = "", q: str = "", only_open=False):
    qs = base.select_related(*LIST_RELATED)
    if state:
        qs = qs.filter(state__in=state.split(","))
    elif only_open:
        qs = qs.filter(state__in=[s.value for s in OPEN_STATES])
    if organization:
        if organization.isdigit():
            qs = qs.filter(Q(organization_id=int(organization)) | Q(organization__ico=organization))
        else:
            qs = qs.filter(organization__name__icontains=organization)
    if q:
        for word in fold(q).split():
            qs = qs.filter(search_text__contains=word)
    return qs.order_by("-created_at", "-id")


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


def sla_history(ticket: Ticket):
    return Event.objects.filter(ticket=ticket, kind__startswith="sla_").order_by("created_at", "id")
