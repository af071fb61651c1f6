"""The console queue and the portal list: bad numbers are corrected with a message, counts are
bounded, and the number of queries does not grow with the page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from podpora.tickets.models import Ticket
from tests.conftest import new_ticket


@pytest.mark.parametrize(
    "params",
    [
        {"organization": "9999999999999999999999"},
        {"organization": "999999999999999999999999999999"},
        {"page": "9223372036854775807"},
        {"page": "14926434489300397588480", "page_size": "-149"},
        {"page": "-1"},
        {"page": "x"},
    ],
)
def test_queue_never_fails_on_numbers(cast, client, params):
    new_ticket(cast)
    client.force_login(cast.agent)
    r = client.get(reverse("desk:queue"), params)
    assert r.status_code == 200


def test_queue_page_out_of_range_shows_the_last_with_a_message(cast, client):
    for _ in range(3):
        new_ticket(cast)
    client.force_login(cast.agent)
    r = client.get(reverse("desk:queue"), {"page": "14926434489300397588480"})
    html = r.content.decode()
    assert "Požadovaná strana v seznamu není, zobrazena je strana 1." in html
    assert html.count('class="prio-') == 3


def test_queue_filters_organization_by_id_and_ico(cast, client):
    t = new_ticket(cast, contact=cast.contact_b)
    new_ticket(cast)
    client.force_login(cast.agent)
    for ref in (str(cast.org_b.pk), cast.org_b.ico):
        html = client.get(reverse("desk:queue"), {"organization": ref}).content.decode()
        assert html.count('class="prio-') == 1 and t.number in html


def test_queue_counts_up_to_the_limit(cast, client, monkeypatch):
    from podpora.core import paging

    monkeypatch.setattr(paging, "COUNT_LIMIT", 2)
    for _ in range(3):
        new_ticket(cast)
    client.force_login(cast.agent)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("desk:queue")).content.decode()
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT" in sql.upper() for sql in counts)
    assert html.count('class="prio-') == 3  # one page of 50 still shows every row


def test_portal_list_page_out_of_range_is_corrected(cast, client):
    new_ticket(cast)
    client.force_login(cast.contact_a.user)
    r = client.get(reverse("portal:list"), {"page": "9223372036854775807"})
    assert r.status_code == 200
    assert "Požadovaná strana v seznamu není" in r.content.decode()


@pytest.mark.parametrize("page", ["1", "2"])
def test_queue_second_page_costs_the_same_queries(cast, client, page):
    for _ in range(55):
        new_ticket(cast)
    client.force_login(cast.agent)
    with CaptureQueriesContext(connection) as queries:
        r = client.get(reverse("desk:queue"), {"page": page})
    assert r.status_code == 200
    # the page, its count, every overview's count in one, saved views, the filters' choices
    assert len(queries.captured_queries) <= 16


def test_queue_organisation_filter_queries_do_not_grow(cast, client):
    client.force_login(cast.agent)
    counts = []
    for n in (2, 20):
        while Ticket.objects.filter(organization=cast.org_b).count() < n:
            new_ticket(cast, contact=cast.contact_b)
        with CaptureQueriesContext(connection) as queries:
            html = client.get(reverse("desk:queue"), {"organization": cast.org_b.ico}).content
        assert html.decode().count('class="prio-') == n
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
