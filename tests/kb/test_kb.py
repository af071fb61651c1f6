"""The knowledge base: who reads which article, search that ignores diacritics, safe HTML."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from podpora.kb.models import Article
from podpora.kb.render import to_html

from ..billing.conftest import staff


@pytest.fixture
def kb(seed):
    """HR Plus and ESTELAR with their demo articles; InTouch for a foreign customer."""
    from podpora.demo import VENDORS, load_articles

    vendors = {}
    for slug in ("hrplus", "estelar", "intouch"):
        vendor = seed(slug, timezone.localdate())
        load_articles(next(v for v in VENDORS if v.slug == slug), vendor, timezone.now())
        vendors[slug] = vendor
    return vendors


def titles(client, url: str) -> list[str]:
    page = client.get(url)
    assert page.status_code == 200
    return [a.title for a in page.context["page"].object_list]


PUBLIC = "Jak zadat požadavek do Centra podpory"
CUSTOMERS = "Roční zúčtování daně: postup uzávěrky"
INTERNAL = "Interní: pád výpočtu mezd při uzávěrce"

WHO_READS = {
    # who: (public, customers, internal)
    None: (True, False, False),  # not logged in
    "hrplus-novak": (True, True, False),  # customer admin
    "hrplus-dvorakova": (True, True, False),  # authorised person
    "hrplus-uzivatel": (True, False, False),  # the customer's end user: public only
    "intouch-prochazka": (True, False, False),  # another vendor's customer
    "hrplus-agent": (True, True, True),  # the vendor's staff
    "intouch-agent": (True, False, False),  # another vendor's staff
}


@pytest.mark.parametrize("who, reads", WHO_READS.items(), ids=[str(k) for k in WHO_READS])
def test_who_reads_what(client, kb, who, reads):
    if who:
        client.force_login(staff(who))
    listed = set(titles(client, "/kb/hrplus/"))
    assert (PUBLIC in listed, CUSTOMERS in listed, INTERNAL in listed) == reads
    for title, allowed in zip((PUBLIC, CUSTOMERS, INTERNAL), reads, strict=True):
        article = Article.objects.get(title=title)
        r = client.get(f"/kb/hrplus/{article.language}/{article.slug}/")
        assert r.status_code == (200 if allowed else 404)


@pytest.mark.parametrize(
    "q, expected",
    [
        ("zuctovani", [CUSTOMERS]),  # no diacritics typed
        ("ROČNÍ ZÚČTOVÁNÍ", [CUSTOMERS]),
        ("uzaverky zalohujte", [CUSTOMERS]),  # every word, title or text
        ("uzávěrka pozadavek", []),
        ("portálu", [PUBLIC]),
        ("neexistujici", []),
    ],
)
def test_search_ignores_diacritics_and_case(client, kb, q, expected):
    client.force_login(staff("hrplus-novak"))
    assert titles(client, f"/kb/hrplus/?q={q}") == expected


def test_drafts_and_future_articles_are_for_staff_only(client, kb):
    article = Article.objects.get(title=CUSTOMERS)
    article.published_at = None
    article.save()
    url = f"/kb/hrplus/cs/{article.slug}/"
    client.force_login(staff("hrplus-novak"))
    assert CUSTOMERS not in titles(client, "/kb/hrplus/")
    assert client.get(url).status_code == 404
    article.published_at = timezone.now() + dt.timedelta(hours=1)
    article.save()
    assert client.get(url).status_code == 404
    client.force_login(staff("hrplus-agent"))
    page = client.get("/kb/hrplus/").content.decode()
    assert CUSTOMERS in page
    assert client.get(url).status_code == 200


def test_kind_and_language_filters_and_own_language_first(client, kb, seed):
    from podpora.demo import VENDORS, load_articles

    vendor = seed("cloudempiere", timezone.localdate())
    load_articles(next(v for v in VENDORS if v.slug == "cloudempiere"), vendor, timezone.now())
    assert titles(client, "/kb/cloudempiere/?lang=en") == ["Client installation"]
    assert titles(client, "/kb/cloudempiere/?kind=faq") == []  # the FAQ is for customers
    client.cookies["django_language"] = "en"
    assert titles(client, "/kb/cloudempiere/")[0] == "Client installation"
    client.cookies["django_language"] = "sk"
    assert titles(client, "/kb/cloudempiere/")[0] == "Inštalácia klienta"
    assert client.get("/kb/nobody/").status_code == 404
    assert titles(client, "/kb/cloudempiere/?kind=nonsense&lang=xx") == [
        "Inštalácia klienta",
        "Client installation",
    ]


def test_my_knowledge_base_leads_to_my_vendor(client, kb):
    assert client.get("/kb/").status_code == 404
    client.force_login(staff("estelar-kratochvil"))
    assert client.get("/kb/")["Location"] == "/kb/estelar/"
    client.force_login(staff("hrplus-agent"))
    assert client.get("/kb/")["Location"] == "/kb/hrplus/"


@pytest.mark.parametrize(
    "markdown, present, absent",
    [
        ("<script>alert(1)</script>", ["&lt;script&gt;"], ["<script"]),
        ("[klik](javascript:alert(1))", ["klik"], ["javascript:"]),
        ('<img src=x onerror="alert(1)">', ["&lt;img src=x onerror"], ["<img"]),  # as text
        (  # blocked like in e-mail: no request to another site from our pages
            "![schéma](https://example.com/a.png)",
            ['<span class="podpora-remote-image">[obrázek] schéma</span>'],
            ["<img", "example.com"],
        ),
        ("**tučně** a `kód <b>`", ["<strong>tučně</strong>", "<code>kód &lt;b&gt;</code>"], []),
        ("| a | b |\n|---|---|\n| 1 | 2 |", ["<table>", "<td>1</td>"], []),
    ],
)
def test_markdown_is_rendered_safe(markdown, present, absent):
    html = to_html(markdown)
    for text in present:
        assert text in html
    for text in absent:
        assert text not in html


def test_the_list_costs_the_same_queries_for_many_articles(client, kb):
    vendor = kb["hrplus"]
    client.force_login(staff("hrplus-novak"))
    with CaptureQueriesContext(connection) as few:
        client.get("/kb/hrplus/")
    product = vendor.products.first()
    for n in range(15):
        Article.objects.create(
            vendor=vendor,
            product=product,
            language="cs",
            audience="public",
            slug=f"clanek-{n}",
            title=f"Článek {n}",
            body="Text",
            published_at=timezone.now(),
        )
    with CaptureQueriesContext(connection) as many:
        page = client.get("/kb/hrplus/").content.decode()
    assert page.count('class="kb-item"') == 17  # 15 new, the public and the customers' one
    assert len(many.captured_queries) == len(few.captured_queries)
