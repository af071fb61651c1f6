"""Who reads which articles, and the search: diacritics and case ignored, every word must match."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone

from podpora.accounts import access
from podpora.core.text import fold

from .models import Article

Audience = Article.Audience


def audiences(user, vendor) -> tuple[set[str], bool]:
    """The audiences a person reads at ``vendor``, and whether they see drafts (staff)."""
    if access.staff_of(user, vendor.pk):
        return {Audience.PUBLIC, Audience.CUSTOMERS, Audience.INTERNAL}, True
    if access.customer_of(user, vendor.pk) is not None:
        return {Audience.PUBLIC, Audience.CUSTOMERS}, False
    return {Audience.PUBLIC}, False


def readable(user, vendor, now=None):
    """The vendor's articles this person may open."""
    now = now or timezone.now()
    allowed, drafts = audiences(user, vendor)
    qs = Article.objects.filter(vendor=vendor, audience__in=allowed)
    if not drafts:
        qs = qs.filter(published_at__lte=now)
    return qs


def search(user, vendor, *, q: str = "", kind: str = "", language: str = "", first: str = "cs"):
    """Readable articles matching every word of ``q``; ``first`` language leads the list."""
    qs = readable(user, vendor).select_related("product")
    for word in fold(q).split():
        qs = qs.filter(search_text__contains=word)
    if kind:
        qs = qs.filter(kind=kind)
    if language:
        qs = qs.filter(language=language)
    lead = Case(When(language=first, then=Value(0)), default=Value(1), output_field=IntegerField())
    return qs.annotate(lead=lead).order_by("lead", "-published_at", "title")


def get_article(user, vendor, language: str, slug: str) -> Article | None:
    return (
        readable(user, vendor)
        .select_related("product")
        .filter(Q(language=language) & Q(slug=slug))
        .first()
    )
