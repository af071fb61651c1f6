"""Answers before asking: suggestions while a request is typed, "Toto mi pomohlo" counted,
and a resolved ticket's answer turned into a draft article."""

from __future__ import annotations

import pytest
from django.utils import timezone

from podpora.kb import suggest
from podpora.kb.models import Article, Deflection
from podpora.tickets import services as ticket_services
from podpora.tickets.models import Ticket
from tests.conftest import new_ticket


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("Nejde tisk faktur", ["nejde", "tisk", "faktu"]),
        ("Tisk FAKTURY se nepodaří", ["tisk", "faktu", "nepod"]),
        ("Jak mám nastavit směny?", ["nasta", "smeny"]),
        ("a je to v 2026", []),
        ("Účetní účetní ucetni", ["ucetn"]),
        ("How do I print invoices", ["print", "invoi"]),
    ],
)
def test_terms(text, terms):
    assert suggest.terms(text) == terms


@pytest.mark.parametrize(
    ("words", "title", "text", "kind", "expected"),
    [
        (["tisk", "faktu"], "Tisk faktur", "tisk faktur\nnavod", "guide", (6, 0)),
        (["tisk", "faktu"], "Tisk faktur", "tisk faktur\nnavod", "faq", (6, 1)),
        (["tisk"], "Mzdy", "mzdy\ntisk vyplatnic", "guide", (1, 0)),
        (["tisk"], "Mzdy", "mzdy", "faq", (0, 1)),
    ],
)
def test_score(words, title, text, kind, expected):
    assert suggest.score(words, title, text, kind) == expected


def _article(cast, title, body, **kw):
    data = {
        "vendor": cast.vendor,
        "title": title,
        "slug": kw.pop("slug", None) or title.lower().replace(" ", "-")[:50],
        "body": body,
        "kind": "faq",
        "language": "cs",
        "audience": "customers",
        "published_at": timezone.now(),
    }
    data.update(kw)
    return Article.objects.create(**data)


@pytest.fixture
def articles(cast):
    return {
        "print": _article(
            cast, "Tisk faktur", "Jak vytisknout fakturu: Soubor → Tisk.", product=cast.product
        ),
        "payroll": _article(cast, "Uzávěrka mezd", "Postup měsíční uzávěrky mezd."),
        "internal": _article(cast, "Interní tisk faktur", "Jen pro podporu.", audience="internal"),
        "draft": _article(cast, "Koncept tisk faktur", "Nehotové.", published_at=None),
        "slovak": _article(cast, "Tlač faktúr", "Tlač faktúr a tisk.", language="sk"),
        "news": _article(cast, "Novinka: tisk faktur", "Nový tisk.", kind="news"),
        "other": Article.objects.create(
            vendor=cast.other_vendor,
            title="Tisk faktur",
            slug="tisk",
            body="Cizí.",
            language="cs",
            audience="public",
            published_at=timezone.now(),
        ),
    }


def test_suggest_ranks_readable_articles_in_the_reader_language(cast, articles):
    found = suggest.suggest(cast.contact_a.user, cast.vendor, "Nejde tisk faktury", language="cs")
    assert [a.title for a in found] == ["Tisk faktur"]
    slovak = suggest.suggest(cast.contact_a.user, cast.vendor, "tlač faktúr", language="sk")
    assert [a.title for a in slovak] == ["Tlač faktúr"]


def test_suggest_filters_by_product(cast, articles):
    from podpora.catalog.models import Product

    other = Product.objects.create(vendor=cast.vendor, code="hr", name="ACME HR")
    assert (
        suggest.suggest(cast.contact_a.user, cast.vendor, "tisk faktur", product_id=other.pk) == []
    )
    found = suggest.suggest(cast.contact_a.user, cast.vendor, "uzávěrka mezd", product_id=other.pk)
    assert [a.title for a in found] == ["Uzávěrka mezd"]  # for no product: every product


def test_anonymous_reader_gets_only_public_articles(cast, articles):
    from django.contrib.auth.models import AnonymousUser

    assert suggest.suggest(AnonymousUser(), cast.vendor, "tisk faktur") == []
    Article.objects.filter(pk=articles["print"].pk).update(audience="public")
    assert [a.title for a in suggest.suggest(AnonymousUser(), cast.vendor, "tisk faktur")] == [
        "Tisk faktur"
    ]


def test_endpoint_returns_the_fragment(client, cast, articles):
    client.force_login(cast.contact_a.user)
    page = client.get("/kb/acme/suggest/", {"subject": "tisk faktur", "body": "chyba"})
    text = page.content.decode()
    assert page.status_code == 200 and "<html" not in text
    assert "Tisk faktur" in text and "Toto mi pomohlo" in text
    assert "Interní" not in text and "Koncept" not in text and "Novinka" not in text
    empty = client.get("/kb/acme/suggest/", {"subject": "zcela jiná věc"}).content.decode()
    assert "nic nenašli" in empty


def test_helped_files_nothing_and_counts_a_deflection(client, cast, articles):
    client.force_login(cast.contact_a.user)
    page = client.post(
        "/kb/acme/helped/", {"article": articles["print"].pk, "subject": "Nejde tisk"}
    )
    assert page.status_code == 200 and "nezaložili" in page.content.decode()
    [d] = Deflection.objects.all()
    assert (d.article, d.contact, d.subject, d.channel) == (
        articles["print"],
        cast.contact_a,
        "Nejde tisk",
        "portal",
    )
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("which", ["internal", "draft", "other"])
def test_helped_refuses_an_article_the_reader_may_not_open(client, cast, articles, which):
    client.force_login(cast.contact_a.user)
    assert client.post("/kb/acme/helped/", {"article": articles[which].pk}).status_code == 404
    assert client.post("/kb/acme/helped/", {"article": "99999999999"}).status_code == 404
    assert not Deflection.objects.exists()


def test_find_answer_button_without_script_files_nothing(client, cast, articles):
    client.force_login(cast.contact_a.user)
    page = client.post(
        "/portal/new/", {"subject": "Nejde tisk faktur", "body": "Chyba", "suggest": "1"}
    )
    text = page.content.decode()
    assert page.status_code == 200 and "Tisk faktur" in text and "Toto mi pomohlo" in text
    assert 'value="Nejde tisk faktur"' in text  # what was typed stays
    assert not Ticket.objects.exists()


def test_public_form_suggests_public_articles(client, cast, articles):
    Article.objects.filter(pk=articles["print"].pk).update(audience="public")
    page = client.post(
        "/dotaz/acme/",
        {
            "name": "Karel",
            "email": "k@example.cz",
            "subject": "tisk faktur",
            "body": "?",
            "suggest": "1",
        },
    )
    text = page.content.decode()
    assert "Tisk faktur" in text and 'name="channel" value="webform"' in text
    assert not Ticket.objects.exists()
    client.post("/kb/acme/helped/", {"article": articles["print"].pk, "channel": "webform"})
    assert Deflection.objects.get().channel == "webform"


def test_deflections_in_the_report(client, cast, articles):
    from podpora.accounts.models import User

    for _ in range(2):
        Deflection.objects.create(
            vendor=cast.vendor, article=articles["print"], created_at=timezone.now()
        )
    Deflection.objects.create(
        vendor=cast.other_vendor, article=articles["other"], created_at=timezone.now()
    )
    manager = User.objects.create_user(
        "manazer", "m@acme.example", "x", kind="staff", role="manager", vendor=cast.vendor
    )
    client.force_login(manager)
    page = client.get("/desk/reports/")
    assert page.context["data"]["deflections"] == {
        "total": 2,
        "articles": [{"article__title": "Tisk faktur", "n": 2}],
    }
    assert "2 zákazníci našli odpověď" in page.content.decode()


def test_agent_turns_a_resolved_answer_into_a_draft(client, cast):
    t = new_ticket(cast)
    client.force_login(cast.agent)
    assert 'id="kb-draft"' not in client.get(f"/desk/tickets/{t.number}/").content.decode()
    ticket_services.reply(t, "Tisk nastavíte v menu Soubor.", actor=cast.agent)
    ticket_services.change_state(t, "resolved", actor=cast.agent)
    assert 'id="kb-draft"' in client.get(f"/desk/tickets/{t.number}/").content.decode()
    page = client.post(f"/desk/tickets/{t.number}/kb-draft/")
    [draft] = Article.objects.all()
    assert page.status_code == 302 and draft.slug in page["Location"]
    assert draft.published_at is None and draft.kind == "faq" and draft.product == cast.product
    assert "Při tisku faktury" in draft.body and "menu Soubor" in draft.body
    client.post(f"/desk/tickets/{t.number}/kb-draft/")
    assert Article.objects.count() == 1  # the same draft again


def test_draft_refused_to_customers_and_other_vendors(client, cast):
    t = new_ticket(cast)
    ticket_services.reply(t, "Odpověď.", actor=cast.agent)
    ticket_services.change_state(t, "resolved", actor=cast.agent)
    client.force_login(cast.contact_a.user)
    assert client.post(f"/desk/tickets/{t.number}/kb-draft/").status_code == 404
    client.force_login(cast.other_agent)
    assert client.post(f"/desk/tickets/{t.number}/kb-draft/").status_code == 404
    assert not Article.objects.exists()


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@given(st.text(max_size=400))
def test_terms_are_few_folded_unique_and_meaningful(text):
    from podpora.core.text import fold

    found = suggest.terms(text)
    assert len(found) <= suggest.MAX_TERMS
    assert len(found) == len(set(found))
    for term in found:
        assert term == fold(term) and 3 <= len(term) <= suggest.STEM
        assert term not in suggest.STOP_WORDS and not term.isdigit()
        assert term in fold(text)
