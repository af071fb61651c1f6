"""A request the customer closes before it is resolved is *withdrawn*: its clocks count neither
as met nor as breached, in the monthly account and in the manager's reports alike — unless the
promise was already broken when the customer withdrew it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from podpora.customers import monthly
from podpora.desk import reports
from podpora.tickets import rules, services
from podpora.tickets.history import describe
from podpora.tickets.models import Ticket
from tests.conftest import new_ticket

PRAGUE = ZoneInfo("Europe/Prague")


def at(day, hour=9):
    return dt.datetime(2026, 11, day, hour, 0, tzinfo=PRAGUE)


@pytest.mark.parametrize(
    ("current", "target", "withdraws"),
    [
        ("new", "closed", True),
        ("open", "closed", True),
        ("waiting_customer", "closed", True),
        ("waiting_release", "closed", True),
        ("resolved", "closed", False),  # solved first: the customer confirms
        ("open", "resolved", False),
        ("closed", "open", False),
    ],
)
def test_which_closings_withdraw(current, target, withdraws):
    assert rules.withdraws(current, target) is withdraws


@pytest.mark.parametrize(
    ("due", "done", "withdrawn", "status", "late"),
    [
        (at(10), None, at(5), "withdrawn", 0),
        (at(10), None, at(10), "withdrawn", 0),  # at the due instant: still in time
        (at(10), None, at(11), "breached", 24 * 60),  # already late when withdrawn
        (at(10), at(4), at(5), "met", 0),  # answered before: the answer counts
        (at(10), at(12), at(13), "breached", 2 * 24 * 60),
        (None, None, at(5), "none", 0),
        (at(10), None, None, "breached", 10 * 24 * 60),  # as of the 20th
        (at(25), None, None, "running", 0),
    ],
)
def test_a_clock_of_a_withdrawn_request(due, done, withdrawn, status, late):
    clock = monthly._clock(due, done, at(20), withdrawn)
    assert (clock.status, clock.late_minutes) == (status, late)


def _withdraw(cast, ticket, when):
    services.change_state(
        ticket, "closed", actor=ticket.contact.user, channel="portal", as_customer=True, now=when
    )
    return Ticket.objects.get(pk=ticket.pk)


@pytest.mark.django_db
def test_a_customer_closing_an_open_request_withdraws_it_and_reopening_undoes_it(cast):
    t = new_ticket(cast, now=at(2))
    t = _withdraw(cast, t, at(2, 11))
    assert t.withdrawn_at == at(2, 11) and t.state == "closed"
    assert not t.sla_breached
    event = t.events.filter(kind="state_changed").latest("created_at")
    assert "stáhl(a), dřív než byl vyřešen" in describe(event, staff=True)
    services.change_state(t, "open", actor=t.contact.user, as_customer=True, now=at(3))
    assert Ticket.objects.get(pk=t.pk).withdrawn_at is None


@pytest.mark.django_db
def test_closing_a_resolved_request_or_an_agents_closing_is_no_withdrawal(cast):
    t = new_ticket(cast, now=at(2))
    services.change_state(t, "resolved", actor=cast.agent, now=at(2, 12))
    t = _withdraw(cast, t, at(2, 13))
    assert t.withdrawn_at is None
    t2 = new_ticket(cast, now=at(2))  # the customer never answered
    services.change_state(t2, "waiting_customer", actor=cast.agent, now=at(2, 12))
    services.change_state(t2, "closed", actor=cast.agent, now=at(9, 12))
    assert Ticket.objects.get(pk=t2.pk).withdrawn_at is None


@pytest.mark.django_db
def test_withdrawn_requests_are_apart_in_the_monthly_account_and_the_reports(cast):
    in_time = new_ticket(cast, subject="Už nepotřebujeme", now=at(2))
    late = new_ticket(cast, subject="Pozdě stažený", now=at(2))
    solved = new_ticket(cast, subject="Vyřešený", now=at(2))
    for t in (in_time, late, solved):
        Ticket.objects.filter(pk=t.pk).update(
            first_response_due=at(2, 13), resolution_due=at(4), sla_next_check=None
        )
    _withdraw(cast, Ticket.objects.get(pk=in_time.pk), at(2, 11))
    _withdraw(cast, Ticket.objects.get(pk=late.pk), at(5))  # after both due instants
    services.reply(Ticket.objects.get(pk=solved.pk), "Hotovo.", actor=cast.agent, now=at(2, 12))
    services.change_state(Ticket.objects.get(pk=solved.pk), "resolved", actor=cast.agent, now=at(3))

    acc = monthly.account(cast.org_a, dt.date(2026, 11, 1), now=at(20))
    rows = {r.ticket.subject: r for r in acc.rows}
    assert rows["Už nepotřebujeme"].resolution.status == "withdrawn"
    assert rows["Už nepotřebujeme"].first_response.status == "withdrawn"
    assert rows["Pozdě stažený"].resolution.status == "breached"
    assert rows["Pozdě stažený"].first_response.status == "breached"
    assert rows["Vyřešený"].resolution.status == "met"
    assert (acc.count("resolution", "met"), acc.count("resolution", "breached")) == (1, 1)
    context = monthly.context(acc)
    assert context["withdrawn"] == 1

    period = reports.Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    total = reports.sla_total(reports.sla_by_priority(cast.vendor, period, now=at(20)))
    assert (total["resolution_met"], total["resolution_breached"]) == (1, 1)
    assert (total["resolution_withdrawn"], total["resolution_running"]) == (1, 0)
    assert (total["first_response_met"], total["first_response_breached"]) == (1, 1)
    assert total["first_response_withdrawn"] == 1
    assert total["resolution_rate"] == 50.0


@pytest.mark.django_db
def test_the_monthly_page_tells_the_withdrawn_requests_in_words(client, cast):
    t = new_ticket(cast, subject="Už nepotřebujeme", now=at(2))
    Ticket.objects.filter(pk=t.pk).update(first_response_due=at(2, 13), resolution_due=at(4))
    _withdraw(cast, Ticket.objects.get(pk=t.pk), at(2, 11))
    acc = monthly.account(cast.org_a, dt.date(2026, 11, 1), now=at(20))
    from django.template.loader import render_to_string

    html = render_to_string("customers/monthly_body.html", monthly.context(acc))
    assert "zákazník stáhl 1 požadavek dřív, než byl vyřešen" in html
    assert "staženo zákazníkem 2. 11. 2026" in html


@pytest.mark.django_db
def test_the_api_tells_a_withdrawn_request(client, cast):
    from podpora.accounts.services import create_api_token

    t = new_ticket(cast, now=at(2))
    headers = {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(cast.agent)}"}
    assert client.get(f"/api/v1/tickets/{t.number}", **headers).json()["withdrawn_at"] is None
    _withdraw(cast, t, at(2, 11))
    body = client.get(f"/api/v1/tickets/{t.number}", **headers).json()
    assert body["state"] == "closed"
    assert dt.datetime.fromisoformat(body["withdrawn_at"]) == at(2, 11)


@pytest.mark.django_db
def test_the_state_mail_tells_that_the_request_was_withdrawn(cast, mailoutbox):
    from podpora.mail.outbound import send_notification

    withdrawn = _withdraw(cast, new_ticket(cast, now=at(2)), at(2, 11))
    send_notification("state_changed", withdrawn.pk)
    assert "uzavřen na přání zákazníka dřív, než jsme ho vyřešili" in mailoutbox[-1].body
    t = new_ticket(cast, now=at(2))
    services.change_state(t, "resolved", actor=cast.agent, now=at(2, 12))
    send_notification("state_changed", t.pk)
    assert "na přání zákazníka" not in mailoutbox[-1].body
