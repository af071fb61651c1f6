"""The lists answer from an index in their order: no sort of every match (SQLite's plan)."""

import pytest
from django.db import connection

from podpora.accounts import access
from podpora.tickets import selectors
from tests.conftest import new_ticket

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="reads SQLite's EXPLAIN QUERY PLAN"
)


def plan(qs) -> str:
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return " / ".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("filters", "index"),
    [
        ({"only_open": True}, ""),
        ({}, "ticket_vendor_recent"),
        ({"state": "closed"}, "ticket_queue"),
        ({"organization": "ORG"}, "ticket_org"),
    ],
)
def test_console_lists_need_no_sort(cast, filters, index):
    for _ in range(3):
        new_ticket(cast)
    filters = {k: (str(cast.org_a.pk) if v == "ORG" else v) for k, v in filters.items()}
    qs = selectors.list_tickets(access.visible_tickets(cast.agent), **filters)
    text = plan(qs[:50])
    assert "TEMP B-TREE" not in text, text
    assert "SCAN tickets_ticket" not in text, text
    assert index in text


def test_customer_list_needs_no_sort(cast):
    new_ticket(cast)
    qs = selectors.list_tickets(access.visible_tickets(cast.contact_a.user))
    text = plan(qs[:25])
    assert "TEMP B-TREE" not in text and "SCAN tickets_ticket" not in text, text
