"""The one writer of ratings: a resolved request rated 1–5 with a comment, changed by rating again.

A low rating (1 or 2) opens a follow-up for the team lead through ``tickets.services`` — once
per low rating: changing a low rating to another low one does not open a second follow-up,
raising it and lowering it again does.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from podpora.tickets import services as ticket_services
from podpora.tickets.rules import State

from .models import Rating

LOW = 2  #: a score at or under this opens a follow-up
RATEABLE = {State.RESOLVED, State.CLOSED}
MAX_COMMENT = 2000


def validate(ticket, score, comment: str) -> None:
    errors: dict[str, list[str]] = {}
    if ticket.state not in RATEABLE:
        errors["score"] = [_("Hodnotit lze jen vyřešený požadavek.")]
    elif not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
        errors["score"] = [_("Zvolte hodnocení od 1 do 5.")]
    if len(comment or "") > MAX_COMMENT:
        errors["comment"] = [_("Komentář může mít nejvýše 2000 znaků.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def rate(ticket, score: int, comment: str = "", *, contact=None, channel="portal", now=None):
    """Store (or change) the ticket's rating; returns it."""
    now = now or timezone.now()
    validate(ticket, score, comment)
    rating = Rating.objects.select_for_update().filter(ticket=ticket).first()
    was_low = rating is not None and rating.score <= LOW
    if rating is None:
        rating = Rating(ticket=ticket, created_at=now)
    rating.score = score
    rating.comment = (comment or "").strip()
    rating.contact = contact if contact is not None else rating.contact
    rating.agent_id = ticket.assignee_id or rating.agent_id
    rating.channel = channel
    rating.updated_at = now
    low_now = score <= LOW
    if low_now and not was_low:
        rating.follow_up_at = now
    rating.save()
    if low_now and not was_low:
        ticket_services.follow_up_low_rating(ticket, score=score, comment=rating.comment, now=now)
    return rating
