"""The console's overviews: the queues agents expect out of the box, the filters of a saved
view, the sort orders, and the bounded counts per overview.

Every overview is a filter on the tickets the agent may see; every list is sorted by a
whitelisted column (the next SLA due instant by default: breached tickets first, the most
critical of them first, then what is due soonest) and paged as ``core.paging`` pages — a
bounded count and one page of rows — so its cost follows the page, not the table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podpora.tickets import selectors
from podpora.tickets.rules import State

#: "due soon": the next SLA due instant falls within this many hours
DUE_SOON_HOURS = 4
OPEN = selectors.OPEN_STATE_VALUES


def next_due():
    """The instant the ticket's running SLA clock is due: the first response while nobody
    answered, then the resolution; none once resolved (as the queue's SLA column shows)."""
    return Case(
        When(
            first_responded_at__isnull=True,
            first_response_due__isnull=False,
            then=F("first_response_due"),
        ),
        When(resolved_at__isnull=True, then=F("resolution_due")),
        default=None,
    )


def due_before(instant) -> Q:
    """Open tickets whose running clock is due before ``instant`` (not paused)."""
    return Q(sla_paused_at__isnull=True, resolved_at__isnull=True) & (
        Q(first_responded_at__isnull=True, first_response_due__lt=instant)
        | Q(first_responded_at__isnull=False, resolution_due__lt=instant)
    )


@dataclass(frozen=True)
class Overview:
    key: str
    label: str
    condition: Callable  # (user, now) -> Q


def _teams(user):
    """The user's teams as ids (resolved first: an equality on the ticket's team column, no
    join and no DISTINCT over the tickets)."""
    if not user.pk:
        return Q(pk__in=[])
    ids = getattr(user, "_desk_team_ids", None)
    if ids is None:
        ids = user._desk_team_ids = sorted(user.teams.values_list("pk", flat=True))
    return Q(team_id__in=ids)


OVERVIEWS: tuple[Overview, ...] = (
    Overview("open", _("Všechny otevřené"), lambda u, now: Q(state__in=OPEN)),
    Overview("mine", _("Moje"), lambda u, now: Q(state__in=OPEN, assignee=u)),
    Overview("team", _("Mého týmu"), lambda u, now: Q(state__in=OPEN) & _teams(u)),
    Overview(
        "unassigned", _("Nepřidělené"), lambda u, now: Q(state__in=OPEN, assignee__isnull=True)
    ),
    Overview(
        "due_soon",
        _("Termín v příštích hodinách"),
        lambda u, now: (
            Q(state__in=OPEN, sla_breached=False)
            & due_before(now + dt.timedelta(hours=DUE_SOON_HOURS))
        ),
    ),
    Overview("breached", _("Porušené SLA"), lambda u, now: Q(state__in=OPEN, sla_breached=True)),
    Overview(
        "waiting_customer",
        _("Čeká na zákazníka"),
        lambda u, now: Q(state=State.WAITING_CUSTOMER),
    ),
    Overview(
        "waiting_release",
        _("Čeká na vydání opravy"),
        lambda u, now: Q(state=State.WAITING_RELEASE),
    ),
    Overview(
        "webform",
        _("Nové z veřejného formuláře"),
        lambda u, now: Q(state=State.NEW, channel="webform"),
    ),
)
BY_KEY = {o.key: o for o in OVERVIEWS}
DEFAULT = "open"


def overview(key: str) -> Overview:
    return BY_KEY.get(key) or BY_KEY[DEFAULT]


# -- sorting -------------------------------------------------------------------------------

#: the columns a list may be sorted by (the URL's ``sort``, ``-`` first for descending)
#: columns that may be empty (sorted last either way); the others sort plainly, so that an
#: index in their order serves the list
NULLABLE = {"organization__name", "assignee__last_name", "assignee__username"}
SORTS: dict[str, tuple] = {
    "number": ("number",),
    "subject": ("subject",),
    "organization": ("organization__name",),
    "state": ("state",),
    "priority": ("priority",),
    "entitlement": ("entitlement_status",),
    "assignee": ("assignee__last_name", "assignee__username"),
    "created": ("created_at",),
    "updated": ("updated_at",),
}
DEFAULT_SORT = "due"


def parse_sort(text: str) -> tuple[str, bool]:
    """``(column, descending)`` from the URL's ``sort``; unknown columns sort by due."""
    text = (text or "").strip()
    descending = text.startswith("-")
    column = text[1:] if descending else text
    if column != "due" and column not in SORTS:
        return DEFAULT_SORT, False
    return column, descending


def sort(qs, text: str):
    column, descending = parse_sort(text)
    if column == "due":
        # breached first, the most critical breach first, then the soonest due; none last
        breached_priority = Case(
            When(sla_breached=True, then=F("priority")),
            default=Value(9),
            output_field=IntegerField(),
        )
        due = next_due()
        order = [
            F("sla_breached").desc(),
            breached_priority.asc(),
            due.desc(nulls_last=True) if descending else due.asc(nulls_last=True),
            F("priority").asc(),
            F("id").asc(),
        ]
        return qs.order_by(*order)
    fields = SORTS[column]
    order = [
        F(f).desc(nulls_last=True) if descending else F(f).asc(nulls_last=True) for f in fields
    ]
    return qs.order_by(*order, F("id").desc() if descending else F("id").asc())


# -- filters of a view ---------------------------------------------------------------------

#: SLA status filter values
SLA_STATUSES = {
    "breached": _("porušeno"),
    "due_soon": _("termín v příštích hodinách"),
    "running": _("běží"),
    "paused": _("pozastaveno"),
    "none": _("bez termínu"),
}


def sla_condition(status: str, now) -> Q:
    if status == "breached":
        return Q(sla_breached=True)
    if status == "due_soon":
        return Q(sla_breached=False) & due_before(now + dt.timedelta(hours=DUE_SOON_HOURS))
    if status == "paused":
        return Q(sla_paused_at__isnull=False)
    if status == "running":
        return Q(sla_breached=False, sla_paused_at__isnull=True, resolved_at__isnull=True) & (
            Q(first_responded_at__isnull=True, first_response_due__isnull=False)
            | Q(resolution_due__isnull=False)
        )
    if status == "none":
        return Q(first_response_due__isnull=True, resolution_due__isnull=True)
    return Q()


def _day_start(day: dt.date):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def apply_filters(qs, data: dict, *, now=None):
    """The tickets of ``qs`` matching a view's cleaned filters (see ``forms.ViewFilterForm``).

    ``state``: a state's code, ``""`` open ones, ``"all"`` every state."""
    now = now or timezone.now()
    state = data.get("state") or ""
    if state == "all":
        pass
    elif state:
        qs = qs.filter(state=state)
    for field in ("team", "product", "version"):
        if data.get(field):
            qs = qs.filter(**{f"{field}_id": data[field].pk})
    assignee = data.get("assignee") or ""
    if assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif assignee:
        qs = qs.filter(assignee_id=int(assignee))
    for field in ("level", "priority"):
        if data.get(field):
            qs = qs.filter(**{field: int(data[field])})
    for field, column in (("type", "type"), ("channel", "channel")):
        if data.get(field):
            qs = qs.filter(**{column: data[field]})
    if data.get("entitlement"):
        qs = qs.filter(entitlement_status=data["entitlement"])
    if data.get("sla"):
        qs = qs.filter(sla_condition(data["sla"], now))
    for field, column in (("created", "created_at"), ("updated", "updated_at")):
        if data.get(f"{field}_from"):
            qs = qs.filter(**{f"{column}__gte": _day_start(data[f"{field}_from"])})
        if data.get(f"{field}_to"):
            end = _day_start(data[f"{field}_to"] + dt.timedelta(days=1))
            qs = qs.filter(**{f"{column}__lt": end})
    organization = (data.get("organization") or "").strip()
    q = data.get("q") or ""
    if organization or q:
        # the organisation (id, IČO or name) and full text as the queue always resolved them
        qs = selectors.list_tickets(qs, organization=organization, q=q)
    return qs


def listed(base, user, *, key: str, filters: dict, sort_text: str, now=None, ranked=None):
    """The tickets of an overview (``key``) narrowed by a view's filters, sorted.

    ``ranked``: the ids the full-text search found for ``q``, best first — the list keeps
    their order unless a column is chosen."""
    now = now or timezone.now()
    qs = base.filter(overview(key).condition(user, now))
    if filters.get("state") and key == DEFAULT:
        # an explicit state replaces "open ones" of the default overview
        qs = base.filter(Q())
    if ranked is not None:
        filters = {k: v for k, v in filters.items() if k != "q"}
    qs = apply_filters(qs, filters, now=now).select_related(*selectors.LIST_RELATED)
    if ranked is not None:
        qs = qs.filter(pk__in=ranked)
        if not sort_text:
            place = [When(pk=pk, then=Value(i)) for i, pk in enumerate(ranked)]
            rank = Case(*place, default=Value(len(place)), output_field=IntegerField())
            return qs.order_by(rank, "-id")
    return sort(qs, sort_text)


def counts(base, user, *, now=None, extra=None) -> dict[str, tuple[int, bool]]:
    """The bounded count of every overview (and of the querysets in ``extra``):
    ``{key: (count, more)}``, all in one query."""
    now = now or timezone.now()
    lists = {o.key: base.filter(o.condition(user, now)) for o in OVERVIEWS}
    lists.update(extra or {})
    return bounded_counts(lists)


def bounded_counts(lists: dict, limit: int | None = None) -> dict[str, tuple[int, bool]]:
    """``core.paging.bounded_count`` of several querysets in one statement: one scalar
    subquery ``(SELECT COUNT(*) FROM (… LIMIT n))`` each."""
    from django.core.exceptions import EmptyResultSet
    from django.db import connection

    from podpora.core import paging

    limit = paging.COUNT_LIMIT if limit is None else limit
    parts, params = [], []
    for i, qs in enumerate(lists.values()):
        sub = qs.order_by().select_related(None).values("pk")[: limit + 1]
        try:
            sql, sub_params = sub.query.sql_with_params()
        except EmptyResultSet:  # a filter that matches nothing (an empty list of ids)
            parts.append("0")
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS bounded_{i})")
        params.extend(sub_params)
    if not parts:
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return {key: (min(n, limit), n > limit) for key, n in zip(lists, row, strict=True)}
