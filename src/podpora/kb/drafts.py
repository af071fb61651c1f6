"""A resolved request's answer turned into a draft knowledge-base article in one step.

The draft is a frequent question in the request's language, for logged-in customers, with the
question and the last public answer; staff edit and publish it in the administration. Asking
again for the same request gives the same draft.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from podpora.tickets.models import Article as TicketArticle
from podpora.tickets.rules import State

from .models import Article

DRAFTABLE = {State.RESOLVED, State.CLOSED}
ANSWER_KINDS = (TicketArticle.Kind.EMAIL_OUT, TicketArticle.Kind.PORTAL, TicketArticle.Kind.PHONE)


def _answer(ticket) -> TicketArticle | None:
    return (
        ticket.articles.filter(internal=False, kind__in=ANSWER_KINDS, author__kind="staff")
        .order_by("-created_at", "-pk")
        .first()
    )


def draft_slug(ticket) -> str:
    return (slugify(ticket.subject)[:90].strip("-") or "clanek") + "-" + slugify(ticket.number)


@transaction.atomic
def draft_from_ticket(ticket) -> Article:
    if ticket.state not in DRAFTABLE:
        raise ValidationError(_("Článek lze připravit jen z vyřešeného požadavku."))
    answer = _answer(ticket)
    if answer is None:
        raise ValidationError(_("Požadavek nemá žádnou odpověď zákazníkovi."))
    language = ticket.language if ticket.language in ("cs", "sk", "en") else "cs"
    slug = draft_slug(ticket)
    existing = Article.objects.filter(vendor_id=ticket.vendor_id, language=language, slug=slug)
    if existing.exists():
        return existing.get()
    opening = ticket.articles.order_by("created_at", "pk").first()
    question = opening.body if opening is not None else ticket.subject
    return Article.objects.create(
        vendor_id=ticket.vendor_id,
        product_id=ticket.product_id,
        kind=Article.Kind.FAQ,
        language=language,
        audience=Article.Audience.CUSTOMERS,
        title=ticket.subject[:200],
        slug=slug,
        body=f"{question.strip()}\n\n---\n\n{answer.body.strip()}",
        published_at=None,
    )
