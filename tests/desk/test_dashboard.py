"""The managers' dashboard: the backlog now, SLA by dimension, incoming, workload; each block
a chart with its numbers and a CSV/XLSX export whose text cannot run as a formula."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from podpora.accounts.models import User
from podpora.core.tables import FORMULA_START, Table, neutral, xlsx_bytes
from podpora.desk import reports
from podpora.tickets.models import Ticket
from tests.conftest import new_ticket


@pytest.fixture
def manager(cast):
    return User.objects.create_user(
        "vedouci", "v@acme.example", "heslo-123", kind="staff", role="manager", vendor=cast.vendor
    )


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+420 123", "'+420 123"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("Alfa = Beta", "Alfa = Beta"),
        (12, 12),
        (None, ""),
    ],
)
def test_formula_is_neutralised(value, expected):
    assert neutral(value) == expected


@given(st.text())
def test_no_text_can_start_a_formula(text):
    out = neutral(text)
    assert not out.startswith(FORMULA_START)
    assert out.removeprefix("'") == text or out == text


def _age(ticket, days):
    Ticket.objects.filter(pk=ticket.pk).update(
        created_at=timezone.now() - dt.timedelta(days=days, hours=1)
    )


def test_backlog_counts(cast):
    fresh = new_ticket(cast)
    week = new_ticket(cast)
    _age(week, 3)
    old = new_ticket(cast, contact=cast.contact_b)
    _age(old, 40)
    done = new_ticket(cast)
    Ticket.objects.filter(pk=done.pk).update(state="closed")
    Ticket.objects.filter(pk=fresh.pk).update(
        resolution_due=timezone.now() + dt.timedelta(minutes=1), priority=1
    )
    Ticket.objects.filter(pk=old.pk).update(resolution_due=timezone.now() - dt.timedelta(days=1))
    new_ticket(
        cast,
        vendor=cast.other_vendor,
        organization=None,
        contact=None,
        product=None,
        version=None,
        requester_email="x@y.cz",
        channel="email",
    )
    back = reports.backlog(cast.vendor)
    s = back["summary"]
    assert (s["total"], s["d1"], s["d7"], s["d30"], s["older"]) == (3, 1, 1, 0, 1)
    assert s["breached"] == 1
    if timezone.localtime().hour < 23:
        assert s["due_today"] == 1
    assert {r["priority"]: r["tickets"] for r in back["by_priority"]}[1] == 1


def test_page_has_charts_numbers_and_exports(client, cast, manager):
    new_ticket(cast)
    client.force_login(manager)
    page = client.get("/desk/dashboard/").content.decode()
    for block in (
        "backlog-state",
        "backlog-age",
        "sla-team",
        "sla-plan",
        "incoming-type",
        "workload",
    ):
        assert f'id="{block}"' in page
    assert "<svg" in page and "<details>" in page and "format=xlsx" in page
    assert "Nástěnka vedoucího" in page


def test_only_managers_and_only_their_vendor(client, cast, manager):
    client.force_login(cast.agent)
    assert client.get("/desk/dashboard/").status_code == 404
    assert client.get("/desk/dashboard/workload/").status_code == 404
    other = User.objects.create_user(
        "jiny", "j@o.example", "heslo-123", kind="staff", role="manager", vendor=cast.other_vendor
    )
    new_ticket(cast)
    client.force_login(other)
    rows = list(
        csv.reader(
            io.StringIO(
                b"".join(
                    client.get("/desk/dashboard/backlog-state/?format=csv").streaming_content
                ).decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    assert rows[1:] == []


def test_exports_neutralise_injection(client, cast, manager):
    cast.org_a.name = '=HYPERLINK("http://zlo")'
    cast.org_a.save()
    new_ticket(cast)
    client.force_login(manager)
    response = client.get("/desk/dashboard/sla-organization/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1][0] == '\'=HYPERLINK("http://zlo")'
    response = client.get("/desk/dashboard/sla-organization/?format=xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == '\'=HYPERLINK("http://zlo")'
    assert sheet["A2"].data_type == "s"
    assert client.get("/desk/dashboard/nic/?format=csv").status_code == 404


def test_xlsx_keeps_numbers():
    from openpyxl import load_workbook

    data = xlsx_bytes(Table("t", "T", ["a", "b"], [("-x", 5)]))
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "'-x" and sheet["B2"].value == 5


def test_dashboard_queries_do_not_grow_with_tickets(client, cast, manager):
    client.force_login(manager)
    new_ticket(cast)
    client.get("/desk/dashboard/")
    with CaptureQueriesContext(connection) as few:
        client.get("/desk/dashboard/")
    for _i in range(5):
        new_ticket(cast, contact=cast.contact_b)
    with CaptureQueriesContext(connection) as many:
        client.get("/desk/dashboard/")
    assert len(many) == len(few)


def test_satisfaction_deflection_and_withdrawn_requests_on_the_dashboard(client, cast, manager):
    from podpora.kb.models import Article, Deflection
    from podpora.satisfaction import services as ratings
    from podpora.tickets import services

    rated = []
    for score, contact in ((5, cast.contact_a), (4, cast.contact_a), (1, cast.contact_b)):
        t = new_ticket(cast, contact=contact)
        services.change_state(t, "resolved", actor=cast.agent)
        ratings.rate(Ticket.objects.get(pk=t.pk), score, contact=contact)
        rated.append(t)
    gone = new_ticket(cast)
    services.change_state(gone, "closed", actor=cast.contact_a.user, as_customer=True)
    article = Article.objects.create(vendor=cast.vendor, title="Tisk faktur", slug="tisk", body="x")
    for _i in range(2):
        Deflection.objects.create(vendor=cast.vendor, article=article, created_at=timezone.now())
    Deflection.objects.create(vendor=cast.other_vendor, created_at=timezone.now())

    client.force_login(manager)
    page = client.get("/desk/dashboard/")
    blocks = {b["table"].name: b["table"] for b in page.context["blocks"]}
    assert blocks["satisfaction"].title == "Spokojenost zákazníků: průměr 3,3 z 5"
    assert dict(blocks["satisfaction"].rows)["5 – velmi spokojeni"] == 1
    assert dict(blocks["satisfaction"].rows)["1 – velmi nespokojeni"] == 1
    orgs = {r[0]: r[1:] for r in blocks["satisfaction-organization"].rows}
    assert orgs["Alfa s.r.o."] == (2, 4.5, 0) and orgs["Beta a.s."] == (1, 1.0, 1)
    assert blocks["deflection"].title == "Vyřešeno návodem bez požadavku: 2"
    assert blocks["deflection"].rows == [("Tisk faktur", 2)]
    plan = blocks["sla-plan"]
    assert plan.headers[-1] == "Staženo zákazníkem"
    assert plan.rows[0][1] == 4 and plan.rows[0][-1] == 1  # the request the customer closed
    html = page.content.decode()
    for block in ("satisfaction", "satisfaction-agent", "satisfaction-team", "deflection"):
        assert f'id="{block}"' in html
    assert "průměr 3,3 z 5" in html
