"""The agent's ticket page costs the same number of queries whatever the ticket holds: two
messages or fifty, with attachments, notes, links, time entries and history."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from podpora.billing import services as billing
from podpora.tickets import services
from tests.conftest import new_ticket


def fill(cast, ticket, n: int) -> None:
    """``n`` customer messages with an attachment each, ``n`` answers, notes, time entries,
    state changes and links to other tickets."""
    for i in range(n):
        services.add_customer_message(
            ticket,
            f"Doplňuji informace č. {i}.",
            actor=cast.contact_a.user,
            contact=cast.contact_a,
            files=[services.IncomingFile(f"log-{i}.txt", "text/plain", b"chyba %d" % i)],
        )
        services.reply(ticket, f"Odpověď č. {i}.", actor=cast.agent)
        services.add_note(ticket, f"Poznámka č. {i}.", actor=cast.agent)
        billing.log_time(ticket, cast.agent, 5, f"Práce č. {i}")
        other = new_ticket(cast, subject=f"Souvisí {i}")
        services.link_tickets(ticket, other, "related", actor=cast.agent)
        services.link_tickets(other, ticket, "related", actor=cast.agent)


def queries(client, ticket) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("desk:detail", args=[ticket.number]))
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_the_ticket_page_costs_the_same_queries_however_long_the_ticket(cast):
    small, large = new_ticket(cast), new_ticket(cast, subject="Dlouhý požadavek")
    fill(cast, small, 2)
    fill(cast, large, 50)
    client = Client()
    client.force_login(cast.agent)
    queries(client, small)  # sessions, caches and translations warm
    few, many = queries(client, small), queries(client, large)
    print(f"ticket page: {few} queries with 2 of each, {many} with 50")
    assert many == few
