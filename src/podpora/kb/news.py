"""News by e-mail: a published news article goes, once, to the vendor's customers who asked for
news, each in their language (ESTELAR: "regular news"; the design's newsletter)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from podpora.core.queue import enqueue
from podpora.customers.models import Contact

from .models import Article

#: News older than this when the job first sees it is not mailed (a backlog stays on the web).
FRESH = timedelta(days=14)


def readers(article: Article):
    """Active contacts of the vendor who take news by e-mail, in the article's language."""
    contacts = Contact.objects.filter(
        organization__vendor_id=article.vendor_id,
        news_by_email=True,
        is_active=True,
        language=article.language,
    ).exclude(role=Contact.Role.END_USER)
    return contacts.exclude(email="").order_by("pk")


def mail_news(now=None) -> int:
    """Queue the published news not mailed yet; returns how many e-mails were queued."""
    from podpora.mail.tasks import send_news

    now = now or timezone.now()
    due = Article.objects.filter(
        kind=Article.Kind.NEWS,
        audience__in=[Article.Audience.PUBLIC, Article.Audience.CUSTOMERS],
        mailed_at__isnull=True,
        published_at__lte=now,
        published_at__gte=now - FRESH,
    ).order_by("pk")
    queued = 0
    for article in due:
        with transaction.atomic():
            claimed = Article.objects.filter(pk=article.pk, mailed_at__isnull=True).update(
                mailed_at=now
            )
            if not claimed:
                continue
            for contact_id in readers(article).values_list("pk", flat=True):
                enqueue(send_news, article.pk, contact_id)
                queued += 1
    return queued
