"""Reads for billing: package balances and billable work."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce

from podpora.customers.models import PrepaidPackage


def package_balances(organization, on: date) -> list[tuple[PrepaidPackage, int]]:
    """Valid packages with the minutes left, oldest first (drawn down in that order)."""
    packages = (
        PrepaidPackage.objects.filter(organization=organization, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .annotate(used=Coalesce(Sum("entries__minutes"), 0))
        .order_by("valid_from", "pk")
    )
    return [(p, max(p.minutes - p.used, 0)) for p in packages]
