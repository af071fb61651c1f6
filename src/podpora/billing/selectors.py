"""Reads for billing: package balances, billable work and subscriptions due."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce

from podpora.customers.models import PrepaidPackage

from .models import Subscription, TimeEntry


def package_balances(organization, on: date) -> list[tuple[PrepaidPackage, int]]:
    """Valid packages with the minutes left, oldest first (drawn down in that order)."""
    packages = (
        PrepaidPackage.objects.filter(organization=organization, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .annotate(used=Coalesce(Sum("entries__minutes"), 0))
        .order_by("valid_from", "pk")
    )
    return [(p, max(p.minutes - p.used, 0)) for p in packages]


def billable_entries(start: date, end: date, *, organization=None, vendor=None):
    """Billable time entries worked on from ``start`` to ``end`` (inclusive), oldest first."""
    entries = TimeEntry.objects.filter(
        mode=TimeEntry.Mode.BILLABLE, worked_on__gte=start, worked_on__lte=end
    ).select_related("ticket", "ticket__organization", "ticket__vendor", "user")
    if organization is not None:
        entries = entries.filter(ticket__organization=organization)
    if vendor is not None:
        entries = entries.filter(ticket__vendor=vendor)
    return entries.order_by("ticket__organization__name", "worked_on", "pk")


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


def subscriptions_due_in(start: date, end: date, *, organization=None, vendor=None):
    """Paid subscriptions falling due in the period: a year's fall due on its 1 January."""
    years = [y for y in range(start.year, end.year + 1) if start <= date(y, 1, 1) <= end]
    return (
        _paid_subscriptions(organization, vendor)
        .filter(year__in=years)
        .order_by("organization__name", "year", "service__name", "pk")
    )
