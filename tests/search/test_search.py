"""The ranked search: word forms, diacritics, ranking, snippets, who finds what, the index
kept by the writers and rebuilt by the command."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from podpora.search import index, words
from podpora.search import query as search
from podpora.search.models import Entry
from podpora.tickets import services
from tests.conftest import new_ticket


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("faktura", "faktur"),
        ("faktury", "faktur"),
        ("fakturou", "faktur"),
        ("fakturach", "faktur"),
        ("pozadavek", "pozadav"),
        ("pozadavky", "pozadav"),
        ("pozadavkem", "pozadav"),
        ("tiskarna", "tiskarn"),
        ("tiskarny", "tiskarn"),
        ("tisk", "tisk"),  # short words stay as typed
        ("uzaverka", "uzaver"),
        ("uzaverky", "uzaver"),
        ("12345", "12345"),
    ],
)
def test_czech_word_forms_share_a_stem(word, stem):
    assert words.stem(word) == stem


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("Požadavky", ["pozadav"]),
        ("FAKTURY  faktura", ["faktur"]),  # one term once
        ("HRP-00123", ["hrp", "123"]),
        ("a_b; DROP TABLE", ["a", "b", "drop", "tabl"]),
        ('"*:()&|!', []),
    ],
)
def test_query_terms(text, terms):
    assert words.terms(text) == terms


@given(st.text(max_size=300))
def test_any_query_gives_safe_terms(text):
    terms = words.terms(text)
    assert len(terms) <= words.MAX_WORDS
    for term in terms:
        assert term and re.fullmatch(r"[^\W_]+", term)
        assert term == term.casefold()
    # the FTS syntax is built only from such terms: no quote, operator or column filter
    assert '"' not in "".join(terms) and ":" not in "".join(terms)
    words.fts5_query(terms)
    words.tsquery(terms)


@pytest.mark.django_db
def test_diacritics_case_and_word_forms(cast):
    t = new_ticket(cast, subject="Nejde tisk faktur", body="Tiskárna hlásí chybu.")
    for text in ("faktura", "FAKTURY", "tiskarny", "Tiskárnou", "chyba"):
        assert search.tickets(cast.vendor.pk, text).ids == [t.pk], text
    assert search.tickets(cast.vendor.pk, "mzdy").ids == []


@pytest.mark.django_db
def test_subject_ranks_above_a_mention_in_the_text(cast):
    in_text = new_ticket(cast, subject="Dotaz", body="Potřebujeme také upravit uzávěrku skladu.")
    in_subject = new_ticket(cast, subject="Uzávěrka roku", body="Nejde spustit.")
    assert search.tickets(cast.vendor.pk, "uzávěrka").ids == [in_subject.pk, in_text.pk]


@pytest.mark.django_db
def test_finds_by_number_organisation_contact(cast):
    t = new_ticket(cast)
    other = new_ticket(cast, contact=cast.contact_b)
    assert search.tickets(cast.vendor.pk, t.number).ids[0] == t.pk
    short = t.number.split("-")[1].lstrip("0")
    assert t.pk in search.tickets(cast.vendor.pk, short).ids
    assert search.tickets(cast.vendor.pk, "Alfa").ids == [t.pk]
    assert search.tickets(cast.vendor.pk, "Dvořák").ids == [other.pk]
    assert search.tickets(cast.vendor.pk, cast.org_b.ico).ids == [other.pk]


@pytest.mark.django_db
def test_snippet_is_escaped_with_only_marks_added(cast):
    t = new_ticket(
        cast, subject="<b>Tisk</b>", body="Po <script>alert(1)</script> tisku & faktuře nic."
    )
    found = search.tickets(cast.vendor.pk, "tisk")
    [hit] = found.hits()
    assert hit.ref_id == t.pk
    assert "<script" not in hit.snippet and "<b>" not in hit.title
    assert "<mark>tisku</mark>" in hit.snippet
    assert hit.title == "&lt;b&gt;<mark>Tisk</mark>&lt;/b&gt;"
    assert set(re.findall(r"<(/?\w+)", hit.snippet + hit.title)) <= {"mark", "/mark"}


@pytest.mark.django_db
def test_kept_current_by_the_writers(cast):
    t = new_ticket(cast, subject="Export", body="Nejde export.")
    services.reply(t, "Zkuste prosím přeinstalovat ovladač.", actor=cast.agent)
    services.add_note(t, "Interně: chyba v knihovně libfoo.", actor=cast.agent)
    services.add_customer_message(t, "Pořád hlásí kód E42.", actor=cast.contact_a.user)
    assert search.tickets(cast.vendor.pk, "ovladač").ids == [t.pk]
    assert search.tickets(cast.vendor.pk, "libfoo").ids == [t.pk]
    assert search.tickets(cast.vendor.pk, "E42").ids == [t.pk]


@pytest.mark.django_db
def test_customers_find_neither_notes_nor_other_organisations(cast):
    t = new_ticket(cast, subject="Sklad", body="Sklad nefunguje.")
    services.add_note(t, "Tajná poznámka o zákazníkovi.", actor=cast.agent)
    new_ticket(cast, contact=cast.contact_b, subject="Sklad Beta", body="Sklad.")
    mine = search.tickets(None, "sklad", organization_id=cast.org_a.pk, internal=False)
    assert mine.ids == [t.pk]
    assert search.tickets(None, "tajna", organization_id=cast.org_a.pk, internal=False).ids == []
    [hit] = search.tickets(None, "sklad", organization_id=cast.org_a.pk, internal=False).hits()
    assert "Tajná" not in hit.snippet
    # staff find the note, and see it in the snippet
    [hit] = search.tickets(cast.vendor.pk, "tajná").hits()
    assert "<mark>Tajná</mark>" in hit.snippet
    # another vendor's staff find nothing of ours
    assert search.tickets(cast.other_vendor.pk, "sklad").ids == []


@pytest.mark.django_db
def test_index_rolls_back_with_the_change(cast):
    with pytest.raises(RuntimeError), transaction.atomic():
        new_ticket(cast, subject="Zrušený požadavek")
        assert search.tickets(cast.vendor.pk, "zrušený").ids
        raise RuntimeError
    assert search.tickets(cast.vendor.pk, "zrušený").ids == []
    assert not Entry.objects.exists()


@pytest.mark.django_db
def test_knowledge_base_per_audience_and_publication(cast):
    from podpora.kb.models import Article

    now = timezone.now()
    A = Article.Audience
    made = {
        name: Article.objects.create(
            vendor=cast.vendor,
            title=f"Záloha databáze {name}",
            slug=name,
            body="Postup zálohy.",
            audience=audience,
            published_at=published,
        )
        for name, audience, published in [
            ("verejny", A.PUBLIC, now - dt.timedelta(days=1)),
            ("zakaznici", A.CUSTOMERS, now - dt.timedelta(days=1)),
            ("interni", A.INTERNAL, now - dt.timedelta(days=1)),
            ("koncept", A.CUSTOMERS, None),
            ("budouci", A.CUSTOMERS, now + dt.timedelta(days=3)),
        ]
    }
    customer = search.kb(cast.vendor.pk, "zalohy", audiences={A.PUBLIC, A.CUSTOMERS}, drafts=False)
    assert set(customer.ids) == {made["verejny"].pk, made["zakaznici"].pk}
    staff = search.kb(cast.vendor.pk, "zalohy", audiences=set(A.values), drafts=True)
    assert set(staff.ids) == {a.pk for a in made.values()}
    made["verejny"].delete()
    assert (
        made["verejny"].pk
        not in search.kb(cast.vendor.pk, "zalohy", audiences=set(A.values), drafts=True).ids
    )


@pytest.mark.django_db
def test_releases(cast):
    from podpora.catalog.models import Release

    r = Release.objects.create(
        product=cast.product,
        version=cast.version,
        notes="Opravena uzávěrka mezd a mzdové sestavy.",
        published_at=timezone.now(),
    )
    assert search.releases(cast.vendor.pk, "mzdová", published_only=True).ids == [r.pk]
    assert search.releases(cast.vendor.pk, "ERP", published_only=True).ids == [r.pk]
    assert search.releases(cast.other_vendor.pk, "mzdy", published_only=False).ids == []


@pytest.mark.django_db
def test_rebuild_gives_the_index_the_writers_keep(cast):
    from podpora.catalog.models import Release
    from podpora.kb.models import Article

    t = new_ticket(cast, subject="Tisk", body="První zpráva.")
    services.reply(t, "Odpověď podpory.", actor=cast.agent)
    services.add_note(t, "Poznámka.", actor=cast.agent)
    new_ticket(cast, contact=cast.contact_b)
    Article.objects.create(vendor=cast.vendor, title="Návod", slug="navod", body="Text.")
    Release.objects.create(product=cast.product, version=cast.version, notes="Změny.")
    fields = [
        "kind",
        "ref_id",
        "vendor_id",
        "organization_id",
        "audience",
        "language",
        "published_at",
        "title",
        "body",
        "notes",
        "meta",
    ]
    live = sorted(Entry.objects.values_list(*fields))
    seen = []
    assert index.rebuild(lambda done, total: seen.append((done, total))) == len(live)
    assert sorted(Entry.objects.values_list(*fields)) == live
    assert seen[-1][0] == seen[-1][1] == len(live)
    assert search.tickets(cast.vendor.pk, "odpověď").ids == [t.pk]
    assert search.tickets(cast.vendor.pk, "poznámka").ids == [t.pk]


@pytest.mark.django_db
def test_rebuild_command_shows_progress(cast, capsys):
    from django.core.management import call_command

    new_ticket(cast)
    Entry.objects.all().delete()
    call_command("search-rebuild")
    out = capsys.readouterr()
    assert "1/1 entries" in out.err and "1 entries" in out.out
    assert search.tickets(cast.vendor.pk, "faktura").ids


# --- the pages ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_console_queue_search_ranks(client, cast):
    low = new_ticket(cast, subject="Dotaz", body="Také jde o mzdy.")
    high = new_ticket(cast, subject="Mzdy", body="Nejdou mzdy za leden, mzdy stojí.")
    client.force_login(cast.agent)
    html = client.get("/desk/", {"q": "mzdy"}).content.decode()
    assert html.index(high.number) < html.index(low.number)
    assert "<mark>Mzdy</mark>" in html


@pytest.mark.django_db
def test_portal_search_only_own_organisation(client, cast):
    mine = new_ticket(cast, subject="Sklad", body="Sklad nejde.")
    services.add_note(mine, "Interní sklad poznámka.", actor=cast.agent)
    theirs = new_ticket(cast, contact=cast.contact_b, subject="Sklad", body="Sklad.")
    client.force_login(cast.contact_a.user)
    html = client.get("/portal/", {"q": "sklad"}).content.decode()
    assert mine.number in html and theirs.number not in html
    assert "Interní" not in html


@pytest.mark.django_db
def test_search_page_sections_and_constant_queries(client, cast):
    from podpora.kb.models import Article

    Article.objects.create(
        vendor=cast.vendor,
        title="Tisk faktur",
        slug="tisk",
        body="Jak tisknout faktury.",
        published_at=timezone.now(),
    )
    client.force_login(cast.agent)
    new_ticket(cast)
    client.get("/desk/search/", {"q": "faktura"})
    with CaptureQueriesContext(connection) as one:
        html = client.get("/desk/search/", {"q": "faktura"}).content.decode()
    for _ in range(5):
        new_ticket(cast)
    with CaptureQueriesContext(connection) as six:
        html = client.get("/desk/search/", {"q": "faktura"}).content.decode()
    assert len(six) == len(one)
    assert 'id="found-tickets"' in html and 'id="found-kb"' in html
    assert html.count("/desk/tickets/") >= 6
    assert "<mark>faktur</mark>" in html.lower()
    assert 'href="/desk/search/"' in html  # in the menu


@pytest.mark.django_db
def test_search_page_is_for_staff(client, cast):
    client.force_login(cast.contact_a.user)
    assert client.get("/desk/search/", {"q": "x"}).status_code == 404
