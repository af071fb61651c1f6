"""Reads of ratings: the box on the portal's ticket page and the reports' averages."""

from __future__ import annotations

from django.db.models import Avg, Count, Q

from .models import SCORES, Rating
from .services import RATEABLE


def rating_box(ticket, token=None) -> dict | None:
    """What the portal's ticket page offers: None while the ticket is not resolved."""
    if ticket.state not in RATEABLE:  # a web-form author (``token``) rates on the private page
        return None
    rating = Rating.objects.filter(ticket=ticket).first()
    return {"rating": rating, "scores": SCORES, "token": token}


#: report dimension -> the fields grouped by (id-ish first, then what is shown)
DIMENSIONS = {
    "agent": ("agent__username", "agent__first_name", "agent__last_name"),
    "team": ("ticket__team__name",),
    "product": ("ticket__product__name",),
    "organization": ("ticket__organization__name",),
}


def ratings_in(vendor, since, until):
    qs = Rating.objects.filter(updated_at__gte=since, updated_at__lt=until)
    return qs if vendor is None else qs.filter(ticket__vendor=vendor)


def summary(vendor, since, until) -> dict:
    """Ratings, their average and the low ones, in one query."""
    return ratings_in(vendor, since, until).aggregate(
        count=Count("pk"), average=Avg("score"), low=Count("pk", filter=Q(score__lte=2))
    )


def by_score(vendor, since, until) -> dict[int, int]:
    """How many ratings gave each score (one query)."""
    rows = ratings_in(vendor, since, until).order_by().values("score").annotate(n=Count("pk"))
    return {row["score"]: row["n"] for row in rows}


def by(vendor, since, until, dimension: str) -> list[dict]:
    """Per agent / team / product / organisation: ratings, average, low ones (one query)."""
    fields = DIMENSIONS[dimension]
    rows = (
        ratings_in(vendor, since, until)
        .order_by()
        .values(*fields)
        .annotate(count=Count("pk"), average=Avg("score"), low=Count("pk", filter=Q(score__lte=2)))
        .order_by("-count", *fields)
    )
    out = []
    for row in rows:
        if dimension == "agent":
            name = " ".join(p for p in (row["agent__first_name"], row["agent__last_name"]) if p)
            label = name or row["agent__username"] or ""
        else:
            label = row[fields[0]] or ""
        out.append(
            {
                "label": label,
                "count": row["count"],
                "average": round(row["average"], 2) if row["average"] is not None else None,
                "low": row["low"],
            }
        )
    return out
