"""The monthly account of support against hand-computed figures: response and resolution
times against the due instants (moved by pauses), breaches and why, time by mode and drawn
from packages, open items; its page, its PDF and its mailing on the first working day."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from podpora.billing.models import TimeEntry
from podpora.core import charts
from podpora.customers import monthly
from podpora.customers.models import MonthlyAccountSent, PrepaidPackage
from podpora.mail.models import OutboundMessage
from podpora.tickets.models import Ticket
from tests.conftest import new_ticket

PRAGUE = ZoneInfo("Europe/Prague")
NOV = dt.date(2026, 11, 1)
AFTER = dt.datetime(2026, 12, 2, 12, 0, tzinfo=PRAGUE)


def at(month, day, hour=9, minute=0):
    return dt.datetime(2026, month, day, hour, minute, tzinfo=PRAGUE)


def put(ticket, **fields):
    Ticket.objects.filter(pk=ticket.pk).update(**fields)


@pytest.fixture
def month(cast):
    """Three requests of Alfa in November, one of October still open, one of Beta."""
    c = cast
    t1 = new_ticket(c, subject="První", now=at(11, 2))
    put(
        t1,
        first_response_due=at(11, 2, 13),
        first_responded_at=at(11, 2, 10),  # met
        resolution_due=at(11, 5),
        resolved_at=at(11, 6),  # 1 day late: 1440 min
        state="resolved",
    )
    t2 = new_ticket(c, subject="Druhý", now=at(11, 10))
    put(
        t2,
        first_response_due=at(11, 10, 12),
        first_responded_at=at(11, 10, 14),  # 120 min late
        resolution_due=at(11, 20),
        resolved_at=at(11, 18),  # met, after a pause of 2 h that moved the due instant
        sla_paused_seconds=7200,
        state="closed",
    )
    t3 = new_ticket(c, subject="Třetí", now=at(11, 25))
    put(t3, first_response_due=at(11, 25, 12), resolution_due=at(12, 5), state="open")
    # responded only in December: in November's account it is still overdue
    put(t3, first_responded_at=at(12, 1, 10))
    old = new_ticket(c, subject="Říjnový", now=at(10, 30))
    put(old, state="waiting_customer")
    new_ticket(c, contact=c.contact_b, subject="Beta", now=at(11, 3))
    pkg = PrepaidPackage.objects.create(
        organization=c.org_a, name="Balík 10 h", minutes=600, valid_from=NOV
    )
    for ticket, minutes, mode, day, package in [
        (t1, 60, "covered", dt.date(2026, 11, 3), None),
        (t2, 90, "prepaid", dt.date(2026, 11, 12), pkg),
        (t2, 30, "billable", dt.date(2026, 11, 30), None),
        (t3, 45, "billable", dt.date(2026, 12, 1), None),  # December's
    ]:
        TimeEntry.objects.create(
            ticket=ticket, user=c.agent, minutes=minutes, mode=mode, worked_on=day, package=package
        )
    return SimpleMonth(t1, t2, t3, old)


class SimpleMonth:
    def __init__(self, *tickets):
        self.t1, self.t2, self.t3, self.old = tickets


def test_figures_by_hand(cast, month):
    acc = monthly.account(cast.org_a, NOV, now=AFTER)
    assert [r.ticket.subject for r in acc.rows] == ["První", "Druhý", "Třetí"]
    assert [r.first_response.status for r in acc.rows] == ["met", "breached", "breached"]
    assert [r.resolution.status for r in acc.rows] == ["breached", "met", "running"]
    assert [(r.ticket.subject, name, c.late_minutes) for r, name, c in acc.breaches] == [
        ("První", "resolution", 1440),
        ("Druhý", "first_response", 120),
        ("Třetí", "first_response", (5 * 24 + 12) * 60),  # 25. 11. 12:00 → 1. 12. 0:00
    ]
    assert acc.rows[1].paused_minutes == 120
    assert acc.minutes == {"covered": 60, "prepaid": 90, "billable": 30}
    assert acc.total_minutes == 180
    assert acc.packages == [("Balík 10 h", 90)]
    assert [t.subject for t in acc.open_items] == ["Říjnový", "Třetí"]


def test_running_month_counts_to_now(cast, month):
    acc = monthly.account(cast.org_a, NOV, now=at(11, 25, 13))
    third = acc.rows[2]
    assert third.first_response.status == "breached" and third.first_response.late_minutes == 60


def test_first_working_day(cast):
    cast.vendor.calendar = cast.calendar
    cast.vendor.save()
    assert monthly.first_working_day(dt.date(2026, 11, 1), cast.vendor) == dt.date(2026, 11, 2)
    # 1. 1. is a holiday, 2. 1. 2027 a Saturday
    assert monthly.first_working_day(dt.date(2027, 1, 1), cast.vendor) == dt.date(2027, 1, 4)
    assert monthly.first_working_day(dt.date(2026, 12, 1), cast.vendor) == dt.date(2026, 12, 1)


def test_chart_is_svg_with_its_numbers():
    svg = charts.bar_chart([("e-mail <&>", 3), ("telefon", 0)], unit=" min")
    assert svg.startswith("<svg") and "e-mail &lt;&amp;&gt;" in svg and ">3 min<" in svg
    assert charts.bar_chart([]).startswith("<svg")


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_pdf_text(cast, month):
    acc = monthly.account(cast.org_a, NOV, now=AFTER)
    text = pdf_text(monthly.render_pdf(acc, language="cs"))
    assert "Alfa s.r.o." in text and "11/2026" in text
    assert "Druhý" in text and "Říjnový" in text and "Beta" not in text
    assert "zpoždění: 1 den" in text or "zpoždění: 24 hodin" in text
    english = pdf_text(monthly.render_pdf(acc, language="en"))
    assert "Support account" in english


def test_mailed_once_on_the_first_working_day_in_each_admins_language(cast, month):
    cast.vendor.calendar = cast.calendar
    cast.vendor.save()
    cast.contact_a.role = "customer_admin"
    cast.contact_a.language = "en"
    cast.contact_a.save()
    mail.outbox.clear()
    assert monthly.send_due(today=dt.date(2026, 12, 1), now=AFTER) == 1
    [message] = mail.outbox
    assert message.to == [cast.contact_a.email] and "Support account" in message.subject
    name, data, kind = message.attachments[0]
    assert kind == "application/pdf" and "Třetí" in pdf_text(data)
    # through the outbound queue: recorded, so a refused delivery is retried with its PDF
    assert OutboundMessage.objects.filter(kind="monthly_account").count() == 1
    assert monthly.send_due(today=dt.date(2026, 12, 1), now=AFTER) == 0  # once
    assert MonthlyAccountSent.objects.get().month == NOV
    assert monthly.send_due(today=dt.date(2026, 12, 2)) == 0  # not the first working day


def test_portal_page_for_customer_admins_only(client, cast, month):
    client.force_login(cast.contact_a.user)  # authorised, not admin
    assert client.get("/portal/account/?month=2026-11").status_code == 404
    cast.contact_a.role = "customer_admin"
    cast.contact_a.save()
    page = client.get("/portal/account/?month=2026-11").content.decode()
    assert "První" in page and "Beta" not in page and "<svg" in page
    assert "Přehled podpory" in page  # in the menu too
    response = client.get("/portal/account/pdf/?month=2026-11")
    assert response["Content-Type"] == "application/pdf"
    assert "Druhý" in pdf_text(response.content)
    client.force_login(cast.agent)
    assert client.get("/portal/account/").status_code == 404
