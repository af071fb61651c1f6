"""News by e-mail: once per article, to the customers who asked, in their language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from podpora.customers.models import Contact
from podpora.kb.models import Article
from podpora.kb.news import mail_news

from ..billing.conftest import staff


@pytest.fixture
def estelar(seed):
    seed("hrplus", timezone.localdate())
    vendor = seed("estelar", timezone.localdate())
    Contact.objects.filter(user__username__in=["estelar-kratochvil", "estelar-bartos"]).update(
        news_by_email=True
    )
    Contact.objects.filter(user__username="hrplus-novak").update(news_by_email=True)
    return vendor


def news(vendor, *, language="cs", audience="customers", days_ago=0, kind="news", slug="n"):
    return Article.objects.create(
        vendor=vendor,
        kind=kind,
        language=language,
        audience=audience,
        slug=slug,
        title="Vyšla verze 6.1",
        body="Nová verze přináší **opravy** docházky.",
        published_at=timezone.now() - dt.timedelta(days=days_ago),
    )


def sent_to() -> list[str]:
    return sorted(address for m in mail.outbox for address in m.to)


def test_news_goes_once_to_the_customers_who_asked(estelar, django_capture_on_commit_callbacks):
    article = news(estelar)
    with django_capture_on_commit_callbacks(execute=True):
        assert mail_news() == 2
    assert sent_to() == [
        "estelar-bartos@zakaznik.example",
        "estelar-kratochvil@zakaznik.example",
    ]  # not HR Plus's customer, not those who did not ask
    message = next(m for m in mail.outbox if "kratochvil" in m.to[0])
    assert message.subject == "ESTELAR: Vyšla verze 6.1"
    assert message.body.startswith("Dobrý den, pane Kratochvíle,")
    assert f"/kb/estelar/cs/{article.slug}/" in message.body
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert message.extra_headers["List-Unsubscribe"].endswith("/kb/estelar/>")
    assert mail_news() == 0 and len(mail.outbox) == 2  # once


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kind": "guide"},  # not news
        {"audience": "internal"},  # staff only
        {"language": "sk"},  # nobody reads Slovak there
        {"days_ago": 30},  # old news is not mailed when first seen
        {"days_ago": -1},  # not published yet
    ],
)
def test_what_is_not_mailed(estelar, kwargs, django_capture_on_commit_callbacks):
    news(estelar, **kwargs)
    with django_capture_on_commit_callbacks(execute=True):
        assert mail_news() == 0
    assert mail.outbox == []


def test_a_customer_orders_and_stops_news_in_the_portal(client, estelar):
    client.force_login(staff("estelar-vesela"))
    page = client.get("/kb/estelar/").content.decode()
    assert "Chcete novinky e-mailem na estelar-vesela@zakaznik.example?" in page
    r = client.post("/kb/estelar/news/", {"news": "on"}, follow=True)
    assert "Novinky vám budeme posílat" in r.content.decode()
    assert Contact.objects.get(user__username="estelar-vesela").news_by_email
    client.post("/kb/estelar/news/", {"news": "off"})
    assert not Contact.objects.get(user__username="estelar-vesela").news_by_email
    assert client.post("/kb/hrplus/news/", {"news": "on"}).status_code == 404  # not theirs
    client.logout()
    assert client.post("/kb/estelar/news/", {"news": "on"}).status_code == 302  # log in first


def test_who_stopped_after_queueing_gets_nothing(estelar, django_capture_on_commit_callbacks):
    news(estelar)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert mail_news() == 2
    Contact.objects.filter(user__username="estelar-bartos").update(news_by_email=False)
    for callback in callbacks:
        callback()
    assert sent_to() == ["estelar-kratochvil@zakaznik.example"]
