"""Reports for the support manager: SLA compliance, volume, channels, workload, organisations.

Every block is one aggregating query over the vendor's tickets created in the period (the
workload: open tickets now), so the page costs the same whatever the number of tickets. A clock
is *met* when it stopped before its due instant, *breached* when it stopped after it or is
still running past it, *running* otherwise; a ticket without a due instant has no SLA.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Min, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from podpora.tickets.models import Ticket
from podpora.tickets.rules import OPEN_STATES

CLOCKS = {
    "first_response": ("first_response_due", "first_responded_at"),
    "resolution": ("resolution_due", "resolved_at"),
}


@dataclass(frozen=True)
class Period:
    start: date  #: first day, inclusive (Europe/Prague)
    end: date  #: last day, inclusive

    @property
    def since(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))


def _clock_counts(prefix: str, due: str, stopped: str, now: datetime) -> dict:
    """A request the customer withdrew (closed unresolved) before a clock's due instant counts
    for that clock as *withdrawn*, neither met nor breached; withdrawn after it, the promise
    was already broken. The resolution clock's stop of a withdrawn request is its closing."""
    has_due = Q(**{f"{due}__isnull": False})
    withdrawn_in_time = Q(withdrawn_at__isnull=False, withdrawn_at__lte=F(due))
    not_stopped = Q(**{f"{stopped}__isnull": True})
    if prefix == "resolution":
        met = has_due & Q(withdrawn_at__isnull=True, **{f"{stopped}__lte": F(due)})
        withdrawn = has_due & withdrawn_in_time
    else:
        met = has_due & Q(**{f"{stopped}__isnull": False, f"{stopped}__lte": F(due)})
        withdrawn = has_due & not_stopped & withdrawn_in_time
    late = has_due & Q(**{f"{stopped}__isnull": False, f"{stopped}__gt": F(due)})
    overdue = has_due & not_stopped & Q(**{f"{due}__lt": now}) & ~withdrawn_in_time
    running = has_due & not_stopped & Q(**{f"{due}__gte": now}, withdrawn_at__isnull=True)
    return {
        f"{prefix}_met": Count("pk", filter=met),
        f"{prefix}_breached": Count("pk", filter=late | overdue),
        f"{prefix}_running": Count("pk", filter=running),
        f"{prefix}_withdrawn": Count("pk", filter=withdrawn),
    }


def _scope(vendor, period: Period):
    qs = Ticket.objects.filter(created_at__gte=period.since, created_at__lt=period.until)
    return qs if vendor is None else qs.filter(vendor=vendor)


def _rate(met: int, breached: int) -> float | None:
    decided = met + breached
    return None if decided == 0 else round(100 * met / decided, 1)


def sla_by_priority(vendor, period: Period, now: datetime | None = None) -> list[dict]:
    """Per priority: tickets, and for each clock met / breached / running and the met rate."""
    now = now or timezone.now()
    counts = {}
    for prefix, (due, stopped) in CLOCKS.items():
        counts |= _clock_counts(prefix, due, stopped, now)
    rows = (
        _scope(vendor, period)
        .order_by()
        .values("priority")
        .annotate(tickets=Count("pk"), **counts)
        .order_by("priority")
    )
    out = []
    for row in rows:
        for prefix in CLOCKS:
            row[f"{prefix}_rate"] = _rate(row[f"{prefix}_met"], row[f"{prefix}_breached"])
        out.append(row)
    return out


def sla_total(rows: list[dict]) -> dict:
    total = {"priority": None}
    for key in rows[0] if rows else ():
        if key != "priority" and not key.endswith("_rate"):
            total[key] = sum(row[key] for row in rows)
    for prefix in CLOCKS:
        total[f"{prefix}_rate"] = (
            _rate(total[f"{prefix}_met"], total[f"{prefix}_breached"]) if rows else None
        )
    return total


def volume_by_day(vendor, period: Period) -> list[dict]:
    """New and resolved tickets per day of the period (days without either are listed too)."""
    tz = timezone.get_current_timezone()
    new = dict(
        _scope(vendor, period)
        .annotate(day=TruncDate("created_at", tzinfo=tz))
        .order_by()
        .values_list("day")
        .annotate(n=Count("pk"))
    )
    resolved_qs = Ticket.objects.filter(resolved_at__gte=period.since, resolved_at__lt=period.until)
    if vendor is not None:
        resolved_qs = resolved_qs.filter(vendor=vendor)
    resolved = dict(
        resolved_qs.annotate(day=TruncDate("resolved_at", tzinfo=tz))
        .order_by()
        .values_list("day")
        .annotate(n=Count("pk"))
    )
    days = (period.end - period.start).days + 1
    return [
        {"day": d, "new": new.get(d, 0), "resolved": resolved.get(d, 0)}
        for d in (period.start + timedelta(days=i) for i in range(days))
    ]


def by_channel(vendor, period: Period) -> list[dict]:
    return list(
        _scope(vendor, period)
        .order_by()
        .values("channel")
        .annotate(tickets=Count("pk"))
        .order_by("-tickets", "channel")
    )


def by_organization(vendor, period: Period, limit: int = 10) -> list[dict]:
    """The organisations with the most requests, with their breached SLAs."""
    return list(
        _scope(vendor, period)
        .exclude(organization=None)
        .order_by()
        .values("organization__name")
        .annotate(tickets=Count("pk"), breached=Count("pk", filter=Q(sla_breached=True)))
        .order_by("-tickets", "organization__name")[:limit]
    )


def workload(vendor) -> list[dict]:
    """Open tickets now per assignee (unassigned first), with the oldest one's creation."""
    qs = Ticket.objects.filter(state__in=list(OPEN_STATES))
    if vendor is not None:
        qs = qs.filter(vendor=vendor)
    return list(
        qs.order_by()
        .values("assignee__username", "assignee__first_name", "assignee__last_name")
        .annotate(
            tickets=Count("pk"),
            breached=Count("pk", filter=Q(sla_breached=True)),
            oldest=Min("created_at"),
        )
        .order_by("-tickets", F("assignee__username").asc(nulls_first=True))
    )


def deflections(vendor, period: Period, limit: int = 10) -> dict:
    """Requests not filed because a suggested article answered them: the count, and the
    articles that answered most (two queries)."""
    from podpora.kb.models import Deflection

    qs = Deflection.objects.filter(created_at__gte=period.since, created_at__lt=period.until)
    if vendor is not None:
        qs = qs.filter(vendor=vendor)
    articles = list(
        qs.exclude(article=None)
        .order_by()
        .values("article__title")
        .annotate(n=Count("pk"))
        .order_by("-n", "article__title")[:limit]
    )
    return {"total": qs.count(), "articles": articles}


def satisfaction(vendor, period: Period) -> dict:
    """Ratings given in the period: in all, and per agent, team, product and organisation."""
    from podpora.satisfaction import selectors as ratings

    since, until = period.since, period.until
    return {
        "summary": ratings.summary(vendor, since, until),
        "scores": ratings.by_score(vendor, since, until),
        **{name: ratings.by(vendor, since, until, name) for name in ratings.DIMENSIONS},
    }


def report(vendor, period: Period, now: datetime | None = None) -> dict:
    sla = sla_by_priority(vendor, period, now)
    return {
        "deflections": deflections(vendor, period),
        "satisfaction": satisfaction(vendor, period),
        "sla": sla,
        "sla_total": sla_total(sla),
        "volume": volume_by_day(vendor, period),
        "channels": by_channel(vendor, period),
        "organizations": by_organization(vendor, period),
        "workload": workload(vendor),
    }


# --- the managers' dashboard: backlog now, SLA by dimension, incoming, exports ------------

#: age buckets of the backlog: (code, upper bound in days, exclusive; None = no bound)
AGE_BUCKETS = (("d1", 1), ("d7", 7), ("d30", 30), ("older", None))

#: SLA compliance may be read per these dimensions: code -> (value field, label field)
DIMENSIONS = {
    "priority": ("priority", None),
    "team": ("team_id", "team__name"),
    "product": ("product_id", "product__name"),
    "organization": ("organization_id", "organization__name"),
    "plan": ("plan_id", "plan__name"),
}


def _open(vendor):
    qs = Ticket.objects.filter(state__in=list(OPEN_STATES))
    return qs if vendor is None else qs.filter(vendor=vendor)


def backlog(vendor, now: datetime | None = None) -> dict:
    """Open tickets now by state, team, priority and age; due today and breached. One
    aggregating query per block."""
    now = now or timezone.now()
    qs = _open(vendor).order_by()
    today_end = timezone.make_aware(
        datetime.combine(timezone.localdate(now) + timedelta(days=1), time.min)
    )
    ages = {}
    lower = None
    for code, days in AGE_BUCKETS:
        cond = Q()
        if days is not None:
            cond &= Q(created_at__gt=now - timedelta(days=days))
        if lower is not None:
            cond &= Q(created_at__lte=now - timedelta(days=lower))
        ages[code] = Count("pk", filter=cond)
        lower = days
    summary = qs.aggregate(
        total=Count("pk"),
        due_today=Count("pk", filter=Q(resolution_due__gte=now, resolution_due__lt=today_end)),
        breached=Count("pk", filter=Q(sla_breached=True) | Q(resolution_due__lt=now)),
        **ages,
    )
    return {
        "summary": summary,
        "by_state": list(qs.values("state").annotate(tickets=Count("pk")).order_by("state")),
        "by_team": list(
            qs.values("team__name").annotate(tickets=Count("pk")).order_by("-tickets", "team__name")
        ),
        "by_priority": list(
            qs.values("priority").annotate(tickets=Count("pk")).order_by("priority")
        ),
    }


def sla_by(vendor, period: Period, dimension: str, now: datetime | None = None) -> list[dict]:
    """SLA compliance of the period's tickets per ``dimension`` (see DIMENSIONS)."""
    field, label = DIMENSIONS[dimension]
    now = now or timezone.now()
    counts = {}
    for prefix, (due, stopped) in CLOCKS.items():
        counts |= _clock_counts(prefix, due, stopped, now)
    keys = [field] + ([label] if label else [])
    rows = list(
        _scope(vendor, period)
        .order_by()
        .values(*keys)
        .annotate(tickets=Count("pk"), **counts)
        .order_by(*(keys[::-1]))
    )
    for row in rows:
        row["key"] = row[field]
        row["name"] = row.get(label) if label else row[field]
        for prefix in CLOCKS:
            row[f"{prefix}_rate"] = _rate(row[f"{prefix}_met"], row[f"{prefix}_breached"])
    return rows


def by_type(vendor, period: Period) -> list[dict]:
    return list(
        _scope(vendor, period)
        .order_by()
        .values("type")
        .annotate(tickets=Count("pk"))
        .order_by("-tickets", "type")
    )
