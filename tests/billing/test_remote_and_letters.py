"""Harmonik: a remote session records the TeamViewer connection ID the customer reads out,
tied to the organisation's remote-access subscription; requests that came by fax or post are
registered by an agent."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from podpora.billing.models import TimeEntry
from podpora.billing.remote import log_remote_session, normalize_connection_id
from podpora.billing.subscriptions import subscribe
from podpora.tickets.models import Article, Ticket

from .conftest import file_ticket, staff


@pytest.mark.parametrize(
    "text,expected",
    [("1 234 567 890", "1234567890"), ("123-456-789", "123456789"), (" 987654321 ", "987654321")],
)
def test_connection_id_as_read_out(text, expected):
    assert normalize_connection_id(text) == expected


@pytest.mark.parametrize("text", ["", "12345", "12345678901", "abc def ghi"])
def test_bad_connection_id_is_refused(text):
    with pytest.raises(ValidationError) as exc:
        normalize_connection_id(text)
    assert "connection_id" in exc.value.message_dict


@pytest.fixture
def harmonik(seed):
    return seed("harmonik", timezone.localdate())


def test_session_with_the_subscription_is_recorded_with_its_id(harmonik):
    org = harmonik.organizations.get(name="Účetnictví Jelínek s.r.o.")
    subscribe(org, harmonik.services.get(code="vzdaleny-pristup-pc"), timezone.localdate().year)
    ticket = file_ticket(harmonik, "harmonik-jelinek", channel="phone", on=timezone.localdate())
    log_remote_session(ticket, staff("harmonik-agent"), 20, "1 234 567 890", "Oprava sestavy")
    article = Article.objects.get(ticket=ticket, kind="remote")
    assert (article.remote_session_id, article.duration_minutes) == ("1234567890", 20)
    assert "1234567890" in article.body and not article.internal
    entry = TimeEntry.objects.get(ticket=ticket)
    assert (entry.minutes, entry.mode, entry.channel) == (20, "covered", "remote")


def test_session_without_the_subscription_is_refused_with_a_clear_message(harmonik):
    ticket = file_ticket(harmonik, "harmonik-jelinek", channel="phone", on=timezone.localdate())
    with pytest.raises(ValidationError) as exc:
        log_remote_session(ticket, staff("harmonik-agent"), 20, "123456789")
    text = " ".join(exc.value.messages)
    assert "nemá na rok" in text and "Vzdálený přístup – 1 PC" in text
    assert not Article.objects.filter(kind="remote").exists()
    assert not TimeEntry.objects.exists()


def test_work_card_records_the_session(client, harmonik):
    org = harmonik.organizations.get(name="Účetnictví Jelínek s.r.o.")
    subscribe(org, harmonik.services.get(code="vzdaleny-pristup-pc"), timezone.localdate().year)
    ticket = file_ticket(harmonik, "harmonik-jelinek", channel="phone", on=timezone.localdate())
    client.force_login(staff("harmonik-agent"))
    page = client.get(f"/desk/tickets/{ticket.number}/").content.decode()
    assert 'name="connection_id"' in page
    r = client.post(
        f"/billing/tickets/{ticket.number}/time/".replace("/billing/", "/desk/billing/"),
        {"minutes": 15, "note": "", "worked_on": "", "channel": "remote", "connection_id": "x"},
    )
    assert r.status_code == 302 and not Article.objects.filter(kind="remote").exists()
    client.post(
        f"/desk/billing/tickets/{ticket.number}/time/",
        {"minutes": 15, "note": "", "worked_on": "", "channel": "remote",
         "connection_id": "123 456 789"},
    )  # fmt: skip
    assert Article.objects.get(kind="remote").remote_session_id == "123456789"


@pytest.mark.parametrize("came_by", ["fax", "post"])
def test_agent_registers_a_fax_or_a_letter(client, harmonik, came_by):
    client.force_login(staff("harmonik-agent"))
    ico = harmonik.organizations.get(name="Stavebniny Kolín a.s.").ico
    r = client.post(
        "/desk/phone/",
        {
            "came_by": came_by,
            "ico": ico,
            "first_name": "Hana",
            "last_name": "Pokorná",
            "licence_number": "",
            "version": "",
            "subject": "Objednávka aktualizace",
            "body": "Dopis s objednávkou aktualizace na příští rok.",
            "type": "question",
            "impact": 2,
            "urgency": 2,
            "duration": 5,
            "answer": "",
        },
    )
    assert r.status_code == 302, r.content.decode()[-2000:]
    ticket = Ticket.objects.get()
    assert ticket.channel == came_by and ticket.entitlement_status == "covered"
    assert list(ticket.articles.values_list("kind", flat=True)) == [came_by]
    assert not TimeEntry.objects.exists()  # no call, no call's time
