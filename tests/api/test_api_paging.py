"""The API's ticket list: numbers checked (a 422, never a 500), a bounded count, cursors."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from podpora.accounts.services import create_api_token
from tests.conftest import new_ticket


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user)}"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": "9223372036854775807"}, "page"),
        ({"page": "14926434489300397588480", "page_size": "-149"}, "page_size"),
        ({"page": "0"}, "page"),
        ({"page": "-3"}, "page"),
        ({"page": "201", "page_size": "50"}, "page"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "201"}, "page_size"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"page": "abc"}, "page"),
    ],
)
def test_bad_numbers_are_422_with_the_field(cast, client, params, field):
    r = client.get("/api/v1/tickets", params, **auth(cast.agent))
    assert r.status_code == 422, r.content
    body = r.json()
    assert body["detail"] and field in body["fields"]


@pytest.mark.parametrize("org", ["9999999999999999999999", "999999999999999999999999999999"])
def test_organization_too_large_for_an_id_is_only_an_ico(cast, client, org):
    new_ticket(cast)
    r = client.get("/api/v1/tickets", {"organization": org}, **auth(cast.agent))
    assert r.status_code == 200
    assert r.json()["count"] == 0


def test_organization_by_id_ico_or_name(cast, client):
    t = new_ticket(cast, contact=cast.contact_b)
    new_ticket(cast)
    h = auth(cast.agent)
    for ref in (str(cast.org_b.pk), cast.org_b.ico, cast.org_b.name[:4].lower()):
        found = client.get("/api/v1/tickets", {"organization": ref}, **h).json()
        assert [r["number"] for r in found["results"]] == [t.number], ref


def test_cursor_walks_every_ticket_once_newest_first(cast, client):
    numbers = [new_ticket(cast).number for _ in range(7)]
    h = auth(cast.agent)
    seen, cursor = [], ""
    first = client.get("/api/v1/tickets", {"page_size": 3}, **h).json()
    assert first["page"] == 1 and first["next_cursor"]
    seen += [r["number"] for r in first["results"]]
    cursor = first["next_cursor"]
    while cursor:
        body = client.get("/api/v1/tickets", {"page_size": 3, "cursor": cursor}, **h).json()
        assert body["page"] is None
        seen += [r["number"] for r in body["results"]]
        cursor = body["next_cursor"]
    assert seen == list(reversed(numbers))


def test_count_stops_at_the_limit_and_never_counts_the_whole_table(cast, client, monkeypatch):
    from podpora.core import paging

    monkeypatch.setattr(paging, "COUNT_LIMIT", 4)
    for _ in range(6):
        new_ticket(cast)
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/v1/tickets", {"page_size": 2}, **auth(cast.agent)).json()
    assert body["count"] == 4 and body["count_exact"] is False
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT" in sql.upper() for sql in counts)


def test_last_page_has_no_next_cursor(cast, client):
    for _ in range(3):
        new_ticket(cast)
    body = client.get("/api/v1/tickets", {"page_size": 3}, **auth(cast.agent)).json()
    assert body["count"] == 3 and body["count_exact"] is True and body["next_cursor"] is None


def test_page_limit_message_writes_numbers_the_czech_way(cast, client):
    r = client.get("/api/v1/tickets", {"page": "9223372036854775807"}, **auth(cast.agent))
    message = r.json()["fields"]["page"][0]
    assert "10\xa0000" in message and "200" in message
