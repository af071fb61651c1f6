"""The support manager's reports: each SLA clock met, breached or running, per priority; volume
per Prague day; workload now; one query per block whatever the number of tickets."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from podpora.desk import reports
from podpora.tickets.models import Ticket
from tests.conftest import new_ticket

PRAGUE = ZoneInfo("Europe/Prague")
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=PRAGUE)
PERIOD = reports.Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def at(day, hour=9, minute=0):
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=PRAGUE)


# name: (first response due, responded, resolution due, resolved) -> the two clocks' verdicts
CASES = {
    "both-met": ((at(10), at(9), at(12), at(11)), ("met", "met")),
    "answered-late": ((at(10), at(11), at(12), at(11)), ("breached", "met")),
    "resolved-late": ((at(10), at(9), at(12), at(13)), ("met", "breached")),
    "on-the-minute-is-met": ((at(10), at(10), at(12), at(12)), ("met", "met")),
    "overdue-unanswered": ((at(10), None, at(12), None), ("breached", "breached")),
    "still-running": ((at(25), None, at(28), None), ("running", "running")),
    "no-sla": ((None, None, None, None), (None, None)),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_each_clock_is_met_breached_or_running(cast, case):
    (fr_due, responded, res_due, resolved), expected = case
    t = new_ticket(cast, impact=2, urgency=2, now=at(5))
    Ticket.objects.filter(pk=t.pk).update(
        first_response_due=fr_due,
        first_responded_at=responded,
        resolution_due=res_due,
        resolved_at=resolved,
    )
    [row] = reports.sla_by_priority(cast.vendor, PERIOD, NOW)
    assert row["priority"] == 3 and row["tickets"] == 1
    for clock, verdict in zip(("first_response", "resolution"), expected, strict=True):
        got = [k for k in ("met", "breached", "running") if row[f"{clock}_{k}"] == 1]
        assert got == ([verdict] if verdict else [])
        assert row[f"{clock}_rate"] == {"met": 100.0, "breached": 0.0}.get(verdict)


def test_totals_rates_and_the_period(cast):
    for hour in range(3):
        t = new_ticket(cast, impact=1, urgency=1, now=at(5, 9 + hour))
        Ticket.objects.filter(pk=t.pk).update(
            first_response_due=at(5, 12), first_responded_at=at(5, 10 + hour * 2)
        )
    new_ticket(cast, impact=3, urgency=3, now=at(6))
    new_ticket(cast, now=dt.datetime(2026, 10, 31, 23, 30, tzinfo=PRAGUE))  # before the period
    new_ticket(cast, now=dt.datetime(2026, 10, 31, 23, 30, tzinfo=dt.UTC))  # 1 Nov in Prague
    rows = reports.sla_by_priority(cast.vendor, PERIOD, NOW)
    assert [(r["priority"], r["tickets"]) for r in rows] == [(1, 3), (3, 1), (5, 1)]
    assert rows[0]["first_response_met"] == 2 and rows[0]["first_response_breached"] == 1
    assert rows[0]["first_response_rate"] == 66.7
    total = reports.sla_total(rows)
    assert total["tickets"] == 5


def test_volume_per_prague_day(cast):
    new_ticket(cast, now=dt.datetime(2026, 11, 1, 23, 30, tzinfo=dt.UTC))  # 2 Nov 00:30 Prague
    t = new_ticket(cast, now=at(2, 8))
    Ticket.objects.filter(pk=t.pk).update(resolved_at=at(4, 15))
    days = {d["day"]: (d["new"], d["resolved"]) for d in reports.volume_by_day(cast.vendor, PERIOD)}
    assert len(days) == 30
    assert days[dt.date(2026, 11, 1)] == (0, 0)
    assert days[dt.date(2026, 11, 2)] == (2, 0)
    assert days[dt.date(2026, 11, 4)] == (0, 1)


def test_workload_and_other_vendors(cast):
    from podpora.tickets import services

    mine = new_ticket(cast, now=at(3))
    services.assign_ticket(mine, assignee=cast.agent, actor=cast.agent, now=at(3))
    new_ticket(cast, now=at(4))
    done = new_ticket(cast, now=at(4))
    services.change_state(done, "resolved", actor=cast.agent, now=at(5))
    rows = reports.workload(cast.vendor)
    assert [(r["assignee__username"], r["tickets"]) for r in rows] == [(None, 1), ("agent", 1)]
    assert rows[1]["oldest"] == at(3)
    assert reports.workload(cast.other_vendor) == []
    assert reports.sla_by_priority(cast.other_vendor, PERIOD, NOW) == []


@pytest.fixture
def manager(cast):
    cast.agent.role = "manager"
    cast.agent.save()
    return cast.agent


def test_the_page_is_for_managers_and_costs_the_same_queries(client, cast, manager):
    url = "/desk/reports/?date_from=2026-11-01&date_to=2026-11-30"
    new_ticket(cast, now=at(3))
    client.force_login(manager)
    with CaptureQueriesContext(connection) as few:
        page = client.get(url).content.decode()
    assert 'id="sla-report"' in page and "<svg" in page
    for day in range(4, 24):
        new_ticket(cast, contact=cast.contact_b if day % 2 else cast.contact_a, now=at(day))
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert "Alfa s.r.o." in page and "Beta a.s." in page
    assert len(many.captured_queries) == len(few.captured_queries)

    r = client.get(url + "&format=xlsx")
    assert r["Content-Disposition"] == 'attachment; filename="prehled-20261101-20261130.xlsx"'
    sheet = load_workbook(io.BytesIO(r.content))["SLA"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[-1][0] == "Celkem" and rows[-1][1] == 21

    bad = client.get("/desk/reports/?date_from=2026-11-30&date_to=2026-11-01").content.decode()
    assert "Konec období nesmí být před jeho začátkem." in bad
    long = client.get("/desk/reports/?date_from=2025-01-01&date_to=2026-11-01").content.decode()
    assert "Období může mít nejvýše jeden rok." in long


@pytest.mark.parametrize("username", ["cizi", "alena"])
def test_others_get_nothing(client, cast, username):
    from podpora.accounts.models import User

    client.force_login(User.objects.get(username=username))
    assert client.get("/desk/reports/").status_code == 404
