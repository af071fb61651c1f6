"""Signed one-click links of the resolution e-mail: one per score, no log-in needed.

A link names the ticket and a score and is signed (Django's signing, own salt); it lands on
a page that confirms the score and takes a comment. Rating again changes the one rating of the
ticket, so a link may be used more than once but never makes a second rating.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "podpora.satisfaction.rating"
MAX_AGE = 60 * 60 * 24 * 90  # three months after the mail


def make(ticket_id: int, score: int) -> str:
    return signing.dumps({"t": ticket_id, "s": score}, salt=SALT, compress=True)


def read(token: str) -> tuple[int, int] | None:
    """(ticket id, score) of a valid token; None when forged, expired or malformed."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    ticket_id, score = data.get("t"), data.get("s")
    if not isinstance(ticket_id, int) or not isinstance(score, int) or not 1 <= score <= 5:
        return None
    return ticket_id, score


def links(ticket) -> list[dict]:
    """[{score, url}] for 1..5, absolute, for the e-mail."""
    return [
        {"score": s, "url": settings.BASE_URL + reverse("rate", args=[make(ticket.pk, s)])}
        for s in range(1, 6)
    ]
