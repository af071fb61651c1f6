"""The agent's ticket page: unique ids, the greeting sent once, collisions, presence, links,
merge, split, previews and a request opened for a customer."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from podpora.core.greeting import opens_with_greeting, salutation
from podpora.tickets import services
from podpora.tickets.models import Article, Ticket, TicketLink
from tests.conftest import new_ticket

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def agent_client(cast):
    client = Client()
    client.force_login(cast.agent)
    return client


def page(client, ticket):
    return client.get(reverse("desk:detail", args=[ticket.number]))


# --------------------------------------------------------------------------- the greeting


@pytest.mark.parametrize(
    ("text", "greets"),
    [
        ("Dobrý den, paní Dvořáková,\n\nopraveno.", True),
        ("dobry den,\nopraveno", True),
        ("\n\n  Dobrý deň, pán Kováč,\n...", True),
        ("Vážená paní Nováková,\n...", True),
        ("Vážený pane Nováku, ...", True),
        ("Dear John Smith,\n...", True),
        ("Hello,\nfixed", True),
        ("Zdravím,\n...", True),
        ("Opraveno ve verzi 5.1.", False),
        ("Dobrý tip: restartujte server.", False),
        ("Dobrý denník vedeme také.", False),
        ("Hiring is not a greeting", False),
        ("", False),
    ],
)
def test_a_reply_that_greets_is_recognised(text, greets):
    assert opens_with_greeting(text) is greets


@given(
    st.sampled_from(["cs", "sk", "en"]),
    st.sampled_from([("Eva", "Dvořáková"), ("Jan", "Novák"), ("", ""), ("Marek", "Kováč")]),
    st.text(max_size=40),
)
def test_every_salutation_we_write_is_recognised_as_a_greeting(lang, name, rest):
    assert opens_with_greeting(f"{salutation(*name, lang)},\n{rest}")


@pytest.mark.parametrize(
    ("body", "greetings"),
    [
        ("Dobrý den, paní Nováková,\n\nchybu jsme opravili.", 1),
        ("Chybu jsme opravili.", 1),
    ],
)
def test_the_customer_is_greeted_once(cast, django_capture_on_commit_callbacks, body, greetings):
    ticket = new_ticket(cast)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(ticket, body, actor=cast.agent)
    [sent] = [m for m in mail.outbox if "chybu jsme opravili" in m.body.lower()]
    assert sent.body.count("Dobrý den") == greetings
    assert "Dobrý den, paní Nováková," in sent.body


# --------------------------------------------------------------------------- the page


def test_ids_are_unique_and_every_label_points_at_its_own_field(cast):
    ticket = new_ticket(cast)
    html = page(agent_client(cast), ticket).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    labels = dict(re.findall(r'<label for="([^"]+)">([^<]+)</label>', html))
    assert labels["note_body"] == "Interní poznámka"
    assert labels["reply_body"] == "Odpověď zákazníkovi"
    for target in labels:
        assert f'id="{target}"' in html


def test_page_offers_the_shortcuts_and_the_next_ticket_of_the_queue(cast):
    older = new_ticket(cast, subject="Starší")
    newer = new_ticket(cast, subject="Novější")
    html = page(agent_client(cast), newer).content.decode()
    for key in "rnasj":
        assert f'data-key="{key}"' in html
    assert reverse("desk:detail", args=[older.number]) in html
    assert 'id="next-ticket"' not in page(agent_client(cast), older).content.decode()


def test_an_agent_of_another_vendor_sees_nothing(cast):
    ticket = new_ticket(cast)
    client = Client()
    client.force_login(cast.other_agent)
    assert page(client, ticket).status_code == 404
    r = client.post(reverse("desk:merge", args=[ticket.number]), {"number": ticket.number})
    assert r.status_code == 404


def test_assign_to_me(cast):
    ticket = new_ticket(cast)
    agent_client(cast).post(reverse("desk:assign_me", args=[ticket.number]))
    assert Ticket.objects.get(pk=ticket.pk).assignee == cast.agent


# --------------------------------------------------------------------------- collisions


def _seen(html: str) -> str:
    return re.search(r'name="seen" value="(\d+)"', html).group(1)


def test_a_reply_is_held_back_when_the_customer_wrote_meanwhile(cast):
    ticket = new_ticket(cast)
    client = agent_client(cast)
    seen = _seen(page(client, ticket).content.decode())
    services.add_customer_message(ticket, "Už to funguje, děkuji.", actor=cast.contact_a.user)
    url = reverse("desk:reply", args=[ticket.number])
    r = client.post(url, {"body": "Zkuste restart.", "state": "", "seen": seen})
    assert r.status_code == 409
    html = r.content.decode()
    assert "Už to funguje, děkuji." in html and "Zkuste restart." in html
    assert "send_anyway" in html
    assert not Article.objects.filter(ticket=ticket, body="Zkuste restart.").exists()

    r = client.post(
        url, {"body": "Zkuste restart.", "state": "", "seen": seen, "send_anyway": "on"}
    )
    assert r.status_code == 302
    assert Article.objects.filter(ticket=ticket, body="Zkuste restart.").exists()


def test_a_reply_goes_out_when_nothing_new_came(cast):
    ticket = new_ticket(cast)
    client = agent_client(cast)
    seen = _seen(page(client, ticket).content.decode())
    r = client.post(
        reverse("desk:reply", args=[ticket.number]), {"body": "Hotovo.", "state": "", "seen": seen}
    )
    assert r.status_code == 302
    assert Article.objects.filter(ticket=ticket, body="Hotovo.").exists()


def test_who_else_is_on_the_ticket(cast):
    from podpora.accounts.models import User

    cache.clear()
    ticket = new_ticket(cast)
    colleague = User.objects.create_user(
        "kolega", "k@acme.example", "x", kind="staff", role="agent", vendor=cast.vendor,
        first_name="Karel", last_name="Kolega",
    )  # fmt: skip
    other = Client()
    other.force_login(colleague)
    url = reverse("desk:presence", args=[ticket.number])
    assert other.post(url, {"mode": "replying"}).status_code == 200
    r = agent_client(cast).post(url, {"mode": "viewing"})
    assert "Karel Kolega" in r.content.decode() and "píše odpověď" in r.content.decode()
    assert "Karel Kolega" in page(agent_client(cast), ticket).content.decode()
    # one is never warned of oneself
    assert "Karel Kolega" not in other.post(url).content.decode()


# --------------------------------------------------------------------------- links, merge, split


@pytest.mark.parametrize(
    ("kind", "here", "there"),
    [
        ("related", "souvisí s požadavkem", "souvisí s požadavkem"),
        ("caused_by", "je způsoben problémem", "způsobil požadavek"),
        ("duplicate", "je duplicitou požadavku", "má duplicitu"),
        ("fixed_in", "je opraven ve vydání opravy požadavku", "opravou řeší i požadavek"),
    ],
)
def test_a_link_is_shown_on_both_tickets(cast, kind, here, there):
    a, b = new_ticket(cast, subject="První"), new_ticket(cast, subject="Druhý")
    client = agent_client(cast)
    client.post(reverse("desk:link", args=[a.number]), {"kind": kind, "number": b.number.lower()})
    assert TicketLink.objects.filter(source=a, target=b, kind=kind).exists()
    assert f"{here} <a" in page(client, a).content.decode()
    assert f"{there} <a" in page(client, b).content.decode()


def test_a_link_to_another_vendors_ticket_is_refused(cast):
    a = new_ticket(cast)
    r = agent_client(cast).post(
        reverse("desk:link", args=[a.number]),
        {"kind": "related", "number": "OT-00001"},
        follow=True,
    )
    assert "nenalezen" in r.content.decode()
    assert not TicketLink.objects.exists()


def test_merge_moves_the_conversation_closes_the_duplicate_and_tells_the_customer(
    cast, django_capture_on_commit_callbacks
):
    survivor = new_ticket(cast, subject="Nejde tisk")
    duplicate = new_ticket(cast, subject="Tisk nefunguje", body="Stále nejde tisknout.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        r = agent_client(cast).post(
            reverse("desk:merge", args=[duplicate.number]), {"number": survivor.number}
        )
    assert r.status_code == 302 and r.url == reverse("desk:detail", args=[survivor.number])
    duplicate.refresh_from_db()
    assert duplicate.state == "closed" and duplicate.merged_into == survivor
    assert survivor.articles.filter(body="Stále nejde tisknout.").exists()
    assert "tisknout" in Ticket.objects.get(pk=survivor.pk).search_text
    [notice] = [m for m in mail.outbox if duplicate.number in m.subject]
    assert notice.to == [cast.contact_a.email]
    assert survivor.number in notice.subject  # the subject's tag: answers thread to the survivor
    assert f"pokračuje v požadavku {survivor.number}" in notice.body
    assert "Dobrý den, paní Nováková," in notice.body


def test_merge_of_another_organisations_ticket_is_refused(cast):
    a = new_ticket(cast)
    b = new_ticket(cast, contact=cast.contact_b)
    r = agent_client(cast).post(
        reverse("desk:merge", args=[a.number]), {"number": b.number}, follow=True
    )
    assert "téže organizace" in r.content.decode()
    assert Ticket.objects.get(pk=a.pk).merged_into is None


def test_split_makes_a_new_ticket_of_one_message(cast):
    from podpora.tickets.services import IncomingFile

    ticket = new_ticket(cast)
    article = services.add_customer_message(
        ticket,
        "A ještě: nejde nám export do Excelu.",
        actor=cast.contact_a.user,
        contact=cast.contact_a,
        files=[IncomingFile("export.png", "image/png", PNG)],
    )
    r = agent_client(cast).post(
        reverse("desk:split", args=[ticket.number]), {"article": article.pk}
    )
    new = Ticket.objects.exclude(pk=ticket.pk).get()
    assert r.url == reverse("desk:detail", args=[new.number])
    opening = new.articles.get()
    assert opening.body == "A ještě: nejde nám export do Excelu." and opening.from_customer
    assert opening.attachments.get().filename == "export.png"
    assert (new.organization, new.contact, new.product) == (
        ticket.organization,
        cast.contact_a,
        cast.product,
    )
    assert TicketLink.objects.filter(source=new, target=ticket, kind="related").exists()
    assert ticket.articles.filter(pk=article.pk).exists()  # the original keeps its message


# --------------------------------------------------------------------------- previews


def test_pictures_are_previewed_safely_and_other_files_only_downloaded(cast):
    from podpora.tickets.services import IncomingFile

    ticket = new_ticket(
        cast,
        files=[
            IncomingFile("screen.png", "image/png", PNG),
            IncomingFile("evil.png", "image/png", b"<svg onload=alert(1)></svg>"),
            IncomingFile("report.pdf", "application/pdf", b"%PDF-1.4"),
        ],
    )
    shots = {a.filename: a for a in ticket.opening_article.attachments.all()}
    client = agent_client(cast)
    preview = client.get(
        reverse("attachment_preview", args=[ticket.number, shots["screen.png"].pk])
    )
    assert preview.status_code == 200 and preview["Content-Type"] == "image/png"
    assert preview["Content-Disposition"] == "inline"
    assert "sandbox" in preview["Content-Security-Policy"]
    assert preview["X-Content-Type-Options"] == "nosniff"
    for name in ("evil.png", "report.pdf"):
        r = client.get(reverse("attachment_preview", args=[ticket.number, shots[name].pk]))
        assert r.status_code == 404
    html = page(client, ticket).content.decode()
    assert reverse("attachment_preview", args=[ticket.number, shots["screen.png"].pk]) in html
    assert reverse("attachment_preview", args=[ticket.number, shots["report.pdf"].pk]) not in html
    stranger = Client()
    stranger.force_login(cast.contact_b.user)
    r = stranger.get(reverse("attachment_preview", args=[ticket.number, shots["screen.png"].pk]))
    assert r.status_code == 404


# --------------------------------------------------------------------------- a request for a customer


def test_an_agent_opens_a_request_for_a_customer(cast):
    client = agent_client(cast)
    assert client.get(reverse("desk:new")).status_code == 200
    r = client.post(
        reverse("desk:new"),
        {
            "organization": cast.org_a.pk,
            "contact": cast.contact_a.pk,
            "product": cast.product.pk,
            "version": cast.version.pk,
            "channel": "phone",
            "type": "question",
            "subject": "Dotaz z veletrhu",
            "body": "Jak nastavit zálohování?",
        },
    )
    ticket = Ticket.objects.get(subject="Dotaz z veletrhu")
    assert r.url == reverse("desk:detail", args=[ticket.number])
    assert ticket.contract is not None and ticket.entitlement_status == "covered"
    assert ticket.first_response_due is not None
    assert ticket.articles.get().author == cast.agent


def test_a_request_for_a_person_of_another_organisation_is_refused(cast):
    r = agent_client(cast).post(
        reverse("desk:new"),
        {
            "organization": cast.org_a.pk,
            "contact": cast.contact_b.pk,
            "channel": "phone",
            "type": "question",
            "subject": "X",
            "body": "Y",
        },
    )
    assert r.status_code == 200 and "nepatří k této organizaci" in r.content.decode()
    assert not Ticket.objects.exists()


def test_menu_leads_to_the_new_request_and_the_macros(cast):
    html = agent_client(cast).get(reverse("desk:queue")).content.decode()
    assert reverse("desk:new") in html and reverse("macros:list") in html


def test_the_page_takes_the_same_queries_however_long_the_conversation(cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from podpora.tickets.services import IncomingFile

    ticket = new_ticket(cast)
    a, b = new_ticket(cast, subject="A"), new_ticket(cast, subject="B")
    client = agent_client(cast)

    def queries():
        page(client, ticket)
        with CaptureQueriesContext(connection) as ctx:
            assert page(client, ticket).status_code == 200
        return len(ctx)

    services.add_customer_message(ticket, "1", actor=cast.contact_a.user, contact=cast.contact_a)
    few = queries()
    for i in range(6):
        services.add_customer_message(
            ticket,
            f"zpráva {i}",
            actor=cast.contact_a.user,
            contact=cast.contact_a,
            files=[IncomingFile(f"{i}.png", "image/png", PNG)],
        )
        services.reply(ticket, f"odpověď {i}", actor=cast.agent)
        services.add_note(ticket, f"poznámka {i}", actor=cast.agent)
    services.link_tickets(ticket, a, "related", actor=cast.agent)
    services.link_tickets(b, ticket, "caused_by", actor=cast.agent)
    assert queries() == few
