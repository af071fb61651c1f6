"""Reads for billing: package balances, billable work and subscriptions due."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce

from podpora.customers.models import PrepaidPackage

from .models import Invoicing, Subscription, TimeEntry


def package_balances(organization, on: date) -> list[tuple[PrepaidPackage, int]]:
    """Valid packages with the minutes left, oldest first (drawn down in that order)."""
    packages = (
        PrepaidPackage.objects.filter(organization=organization, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .annotate(used=Coalesce(Sum("entries__minutes"), 0))
        .order_by("valid_from", "pk")
    )
    return [(p, max(p.minutes - p.used, 0)) for p in packages]


def allowance_period(on: date, period: str) -> tuple[date, date]:
    """The calendar month or year holding ``on``, first and last day."""
    if period == "year":
        return date(on.year, 1, 1), date(on.year, 12, 31)
    if period != "month":
        raise ValueError(f"unknown period {period!r}")
    first = on.replace(day=1)
    following = date(on.year + on.month // 12, on.month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def free_calls_left(organization, plan, on: date) -> int | None:
    """Free phone consultation minutes the organisation has left under ``plan`` in the period
    holding ``on``; None when the plan sets no limit (calls are covered as any work)."""
    if plan is None or plan.free_call_minutes is None:
        return None
    start, end = allowance_period(on, plan.free_call_period)
    used = TimeEntry.objects.filter(
        ticket__organization=organization,
        channel="phone",
        mode=TimeEntry.Mode.COVERED,
        worked_on__gte=start,
        worked_on__lte=end,
    ).aggregate(used=Coalesce(Sum("minutes"), 0))["used"]
    return max(plan.free_call_minutes - used, 0)


def ticket_work(ticket, on: date) -> dict:
    """What the console shows of work on a ticket: its entries (one query) and, when the
    ticket's plan limits free phone consultations, what is left of them in the period."""
    entries = list(
        ticket.time_entries.select_related("package", "user").order_by("worked_on", "pk")
    )
    plan = ticket.plan if ticket.plan_id else None
    left = free_calls_left(ticket.organization, plan, on) if ticket.organization_id else None
    free = None
    if left is not None:
        free = {
            "left": left,
            "of": plan.free_call_minutes,
            "period": plan.get_free_call_period_display(),
        }
    return {"entries": entries, "minutes": sum(e.minutes for e in entries), "free_calls": free}


def _by_invoicing(rows, pending: bool, invoicing):
    """Billable rows not invoiced yet (``pending``), or those of one marking."""
    if pending:
        rows = rows.filter(invoicing__isnull=True)
    if invoicing is not None:
        rows = rows.filter(invoicing=invoicing)
    return rows


def billable_entries(
    start: date, end: date, *, organization=None, vendor=None, pending=False, invoicing=None
):
    """Billable time entries worked on from ``start`` to ``end`` (inclusive), oldest first;
    ``pending`` keeps those not invoiced yet, ``invoicing`` those of one marking."""
    entries = TimeEntry.objects.filter(
        mode=TimeEntry.Mode.BILLABLE, worked_on__gte=start, worked_on__lte=end
    ).select_related(
        "ticket", "ticket__organization", "ticket__vendor", "user", "invoicing", "quote"
    )
    if organization is not None:
        entries = entries.filter(ticket__organization=organization)
    if vendor is not None:
        entries = entries.filter(ticket__vendor=vendor)
    return _by_invoicing(entries, pending, invoicing).order_by(
        "ticket__organization__name", "worked_on", "pk"
    )


def billable_work(start: date, end: date, *, organization=None, vendor=None) -> list[dict]:
    """Billable minutes per organisation and rate in the period (what to invoice for time)."""
    rows = (
        billable_entries(start, end, organization=organization, vendor=vendor)
        .order_by()
        .values("ticket__organization_id", "ticket__organization__name", "rate")
        .annotate(minutes=Sum("minutes"))
        .order_by("ticket__organization__name", "rate")
    )
    return [
        {
            "organization_id": r["ticket__organization_id"],
            "organization": r["ticket__organization__name"],
            "rate": r["rate"],
            "minutes": r["minutes"],
        }
        for r in rows
    ]


def _paid_subscriptions(organization=None, vendor=None):
    subs = Subscription.objects.filter(price__gt=0).select_related("organization", "service")
    if organization is not None:
        subs = subs.filter(organization=organization)
    if vendor is not None:
        subs = subs.filter(organization__vendor=vendor)
    return subs


def due_subscriptions(year: int, *, organization=None, vendor=None):
    """Paid yearly services for ``year``: what to invoice for the calendar year."""
    return (
        _paid_subscriptions(organization, vendor)
        .filter(year=year)
        .order_by("organization__name", "service__name", "pk")
    )


def subscriptions_due_in(
    start: date, end: date, *, organization=None, vendor=None, pending=False, invoicing=None
):
    """Paid subscriptions falling due in the period: a year's fall due on its 1 January."""
    years = [y for y in range(start.year, end.year + 1) if start <= date(y, 1, 1) <= end]
    subs = _paid_subscriptions(organization, vendor).filter(year__in=years)
    return (
        _by_invoicing(subs, pending, invoicing)
        .select_related("invoicing")
        .order_by("organization__name", "year", "service__name", "pk")
    )


def invoicings(vendor=None, limit: int = 10):
    """The latest markings as invoiced, newest first (a vendor's own, or all)."""
    runs = Invoicing.objects.select_related("organization", "created_by").order_by("-pk")
    if vendor is not None:
        runs = runs.filter(vendor=vendor)
    return list(runs[:limit])
