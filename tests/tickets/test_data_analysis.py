"""Harmonik: "the customer sends the company's data for analysis; at most 3 working days for
the analysis and the answer" -- the clock starts when the data arrive, and stands still while
the request waits for them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from podpora.tickets import services
from podpora.tickets.models import Event
from tests.billing.conftest import PRAGUE, _clean_cache, file_ticket, seed, staff  # noqa: F401

MONDAY = dt.date(2026, 3, 2)


def t(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=PRAGUE)


@pytest.fixture
def waiting(seed):  # noqa: F811
    ticket = file_ticket(seed("harmonik"), "harmonik-pokorna", channel="phone", on=MONDAY)
    assert ticket.resolution_target == "3wd"
    agent = staff("harmonik-agent")
    ticket = services.request_data(
        ticket, "Pošlete prosím zálohu dat firmy podle návodu.", actor=agent, now=t(2, 11)
    )
    assert ticket.state == "waiting_customer" and ticket.sla_paused_at == t(2, 11)
    assert ticket.waiting_for_data_since == t(2, 11)
    return ticket, agent


# how the data arrive, when -> resolution due (3 working days after that day, Tue 17:00)
ARRIVALS = [
    ("agent", t(5, 14)),
    ("email", t(5, 14)),
    ("portal", t(5, 14)),
]


@pytest.mark.parametrize("how,arrived", ARRIVALS)
def test_clock_starts_when_the_data_arrive(waiting, how, arrived):
    ticket, agent = waiting
    if how == "agent":
        ticket = services.mark_data_received(ticket, actor=agent, now=arrived)
    else:
        services.add_customer_message(
            ticket,
            "Posíláme data.",
            channel=how,
            sender="hana.pokorna@zakaznik.example",
            files=[services.IncomingFile("firma.zip", "application/zip", b"PK\x03\x04data")],
            now=arrived,
        )
    ticket.refresh_from_db()
    assert ticket.state == "open"
    assert (ticket.waiting_for_data_since, ticket.analysis_started_at) == (None, arrived)
    assert (ticket.sla_paused_at, ticket.sla_paused_seconds) == (None, 0)
    assert ticket.resolution_due == t(10, 17)  # Fri, Mon, Tue: the third working day's close
    assert Event.objects.filter(ticket=ticket, kind="data_received").count() == 1


def test_a_message_without_files_keeps_waiting(waiting):
    ticket, _agent = waiting
    services.add_customer_message(
        ticket,
        "Data pošleme zítra.",
        channel="email",
        sender="hana.pokorna@zakaznik.example",
        files=[services.IncomingFile("logo.png", "image/png", b"\x89PNG", "logo@x", inline=True)],
        now=t(3, 9),
    )
    ticket.refresh_from_db()
    assert ticket.waiting_for_data_since == t(2, 11) and ticket.analysis_started_at is None


def test_data_received_needs_a_request_waiting_for_data(seed):  # noqa: F811
    ticket = file_ticket(seed("harmonik"), "harmonik-pokorna", on=MONDAY)
    with pytest.raises(ValidationError):
        services.mark_data_received(ticket, actor=staff("harmonik-agent"))


def test_console_requests_and_marks_the_data(client, waiting):
    ticket, agent = waiting
    client.force_login(agent)
    page = client.get(f"/desk/tickets/{ticket.number}/").content.decode()
    assert 'id="data-received-form"' in page
    r = client.post(f"/desk/tickets/{ticket.number}/data-received/")
    assert r.status_code == 302
    ticket.refresh_from_db()
    assert ticket.analysis_started_at is not None and ticket.state == "open"
