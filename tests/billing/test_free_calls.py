"""HR Plus: free phone consultations within the SLA level; further calls from a prepaid package,
then at the consultation rate of the price list. Only calls count, per organisation and period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from podpora.billing.models import TimeEntry
from podpora.billing.selectors import allowance_period, free_calls_left
from podpora.billing.services import log_time
from podpora.tickets.models import Event

from .conftest import TODAY, file_ticket, staff

RATE = Decimal("1500.00")
APRIL = dt.date(2026, 4, 1)
JULY = dt.date(2026, 7, 15)


@pytest.mark.parametrize(
    "on, period, expected",
    [
        (dt.date(2026, 3, 2), "month", (dt.date(2026, 3, 1), dt.date(2026, 3, 31))),
        (dt.date(2026, 12, 31), "month", (dt.date(2026, 12, 1), dt.date(2026, 12, 31))),
        (dt.date(2028, 2, 10), "month", (dt.date(2028, 2, 1), dt.date(2028, 2, 29))),
        (dt.date(2027, 2, 28), "month", (dt.date(2027, 2, 1), dt.date(2027, 2, 28))),
        (dt.date(2026, 1, 1), "year", (dt.date(2026, 1, 1), dt.date(2026, 12, 31))),
    ],
)
def test_allowance_period(on, period, expected):
    assert allowance_period(on, period) == expected


def test_allowance_period_refuses_an_unknown_period():
    with pytest.raises(ValueError):
        allowance_period(TODAY, "week")


@dataclass
class Case:
    #: (minutes, day, channel) logged one after another on the Premium customer's phone ticket
    work: list[tuple[int, dt.date, str | None]]
    #: the entries of the last one: (mode, minutes, from a package, rate)
    last: list[tuple[str, int, bool, Decimal | None]]
    free_left: int | None  #: what the last call left of the free minutes
    free: int | None = 60
    period: str = "month"
    package: int | None = None  #: minutes of a prepaid package, valid from TODAY
    terms: dict = field(default_factory=dict)
    #: what the selector reports after all the work, when not what the last call left
    left_after: int | None = None


CASES = {
    "calls-within-the-free-minutes": Case(
        [(20, TODAY, "phone"), (30, TODAY, "phone")], [("covered", 30, False, None)], 10
    ),
    "a-call-over-them-is-split-then-billed-at-the-price-list": Case(
        [(50, TODAY, "phone"), (30, TODAY, "phone")],
        [("covered", 10, False, None), ("billable", 20, False, RATE)],
        0,
    ),
    "over-them-from-the-prepaid-package-first": Case(
        [(50, TODAY, "phone"), (30, TODAY, "phone")],
        [("covered", 10, False, None), ("prepaid", 20, True, None)],
        0,
        package=100,
    ),
    "the-package-runs-dry-then-the-price-list": Case(
        [(60, TODAY, "phone"), (30, TODAY, "phone")],
        [("prepaid", 10, True, None), ("billable", 20, False, RATE)],
        0,
        package=10,
    ),
    "once-used-up-a-whole-call-is-paid": Case(
        [(60, TODAY, "phone"), (15, TODAY, "phone")], [("billable", 15, False, RATE)], 0
    ),
    "a-new-month-starts-again": Case(
        [(60, TODAY, "phone"), (45, APRIL, "phone")], [("covered", 45, False, None)], 15
    ),
    "a-yearly-allowance-carries-across-months": Case(
        [(40, TODAY, "phone"), (30, JULY, "phone")],
        [("covered", 20, False, None), ("billable", 10, False, RATE)],
        0,
        period="year",
    ),
    "other-work-on-a-phone-ticket-is-not-a-call": Case(
        [(200, TODAY, None), (30, TODAY, "phone")], [("covered", 30, False, None)], 30
    ),
    "other-work-after-the-calls-stays-covered": Case(
        [(60, TODAY, "phone"), (200, TODAY, None)],
        [("covered", 200, False, None)],
        None,
        left_after=0,
    ),
    "no-limit-set-calls-are-covered-as-any-work": Case(
        [(500, TODAY, "phone"), (500, TODAY, "phone")],
        [("covered", 500, False, None)],
        None,
        free=None,
    ),
    "the-plans-own-rate-before-the-price-list": Case(
        [(70, TODAY, "phone")],
        [("covered", 60, False, None), ("billable", 10, False, Decimal("990.00"))],
        0,
        terms={"hourly_rate": Decimal("990")},
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_free_phone_consultations(seed, case):
    from podpora.customers.models import Contact, PrepaidPackage

    vendor = seed("hrplus")
    plan = vendor.plans.get(code="udrzba-premium")
    plan.free_call_minutes = case.free
    plan.free_call_period = case.period
    for name, value in case.terms.items():
        setattr(plan, name, value)
    plan.save()
    org = Contact.objects.get(user__username="hrplus-novak").organization
    assert not PrepaidPackage.objects.filter(organization=org).exists()
    if case.package:
        PrepaidPackage.objects.create(
            organization=org, name="Balík hovorů", minutes=case.package, valid_from=TODAY
        )
    ticket = file_ticket(vendor, "hrplus-novak", channel="phone", type="incident")
    assert ticket.entitlement_status == "covered" and ticket.plan_id == plan.pk
    agent = staff("hrplus-agent")
    for minutes, day, channel in case.work:
        result = log_time(ticket, agent, minutes, "hovor", worked_on=day, channel=channel)
    got = [(e.mode, e.minutes, e.package_id is not None, e.rate) for e in result.entries]
    assert got == case.last
    assert result.free_calls_left == case.free_left
    over = any(mode != "covered" for mode, *_ in case.last) and case.work[-1][2] == "phone"
    assert result.free_calls_used_up is over
    assert sum(e.minutes for e in result.entries) == case.work[-1][0]
    if case.free is not None:
        last_day = case.work[-1][1]
        expected = case.free_left if case.left_after is None else case.left_after
        assert free_calls_left(org, plan, last_day) == expected


def test_only_the_organisations_own_calls_count(seed):
    """Another customer on the same plan has its own free minutes."""
    from podpora.customers.models import Contact, Contract

    vendor = seed("hrplus")
    plan = vendor.plans.get(code="udrzba-premium")
    plan.free_call_minutes = 60
    plan.save()
    other = Contact.objects.get(user__username="hrplus-svoboda").organization
    Contract.objects.filter(organization=other).update(plan=plan)
    agent = staff("hrplus-agent")
    theirs = file_ticket(vendor, "hrplus-svoboda", channel="phone", type="incident")
    assert theirs.plan_id == plan.pk
    log_time(theirs, agent, 60, "", worked_on=TODAY, channel="phone")
    ours = file_ticket(vendor, "hrplus-novak", channel="phone", type="incident")
    result = log_time(ours, agent, 45, "", worked_on=TODAY, channel="phone")
    assert [(e.mode, e.minutes) for e in result.entries] == [("covered", 45)]
    assert result.free_calls_left == 15


def test_a_call_about_a_portal_request_counts_too(seed):
    """The consultation is judged on the phone channel whatever channel the request came by."""
    vendor = seed("hrplus")
    plan = vendor.plans.get(code="udrzba-premium")
    plan.free_call_minutes = 30
    plan.save()
    agent = staff("hrplus-agent")
    portal = file_ticket(vendor, "hrplus-novak", channel="portal", type="question")
    first = log_time(portal, agent, 20, "", worked_on=TODAY, channel="phone")
    second = log_time(portal, agent, 20, "", worked_on=TODAY, channel="phone")
    assert [(e.mode, e.minutes) for e in first.entries] == [("covered", 20)]
    assert [(e.mode, e.minutes) for e in second.entries] == [("covered", 10), ("billable", 10)]
    assert set(TimeEntry.objects.values_list("channel", flat=True)) == {"phone"}
    event = Event.objects.get(ticket=portal, kind="free_calls_exhausted")
    assert event.data == {
        "plan": plan.name,
        "free_minutes": 30,
        "period": "month",
        "paid_minutes": 10,
    }
    assert not event.customer_visible
    logged = Event.objects.filter(ticket=portal, kind="time_logged").order_by("pk")
    assert [e.data["work_channel"] for e in logged] == ["phone"] * 3


def test_implementation_customer_calls_without_limit(seed):
    """HR Plus: a customer being implemented gets phone support for the functions being
    implemented; its plan sets no free-minute limit, so calls are covered as any work."""
    vendor = seed("hrplus")
    ticket = file_ticket(vendor, "hrplus-svoboda", channel="phone", type="implementation")
    assert ticket.plan.code == "implementace" and ticket.plan.free_call_minutes is None
    result = log_time(ticket, staff("hrplus-agent"), 600, "", worked_on=TODAY, channel="phone")
    assert [(e.mode, e.minutes) for e in result.entries] == [("covered", 600)]
    assert result.free_calls_left is None and not result.free_calls_used_up


def test_demo_sets_free_minutes_by_sla_level(seed):
    vendor = seed("hrplus")
    plans = {p.code: (p.free_call_minutes, p.free_call_period) for p in vendor.plans.all()}
    assert plans["udrzba-standard"] == (60, "month")
    assert plans["udrzba-premium"] == (180, "month")
    assert plans["implementace"][0] is None


def _today_premium(seed):
    from django.utils import timezone

    today = timezone.localdate()
    vendor = seed("hrplus", today)
    ticket = file_ticket(vendor, "hrplus-novak", channel="phone", type="incident", on=today)
    return vendor, ticket


def test_console_card_logs_a_call_and_tells_what_is_left(client, seed):
    _vendor, ticket = _today_premium(seed)
    client.force_login(staff("hrplus-agent"))
    detail = f"/desk/tickets/{ticket.number}/"
    page = client.get(detail).content.decode()
    assert "Vykázaná práce" in page and 'id="time-form"' in page
    assert "Bezplatné telefonické konzultace: zbývá 180 z 180 min (kalendářní měsíc)." in page

    url = f"/desk/billing/tickets/{ticket.number}/time/"
    page = client.post(url, {"minutes": 150, "channel": "phone"}, follow=True).content.decode()
    assert "Vykázáno: 150 min v rámci smlouvy." in page
    assert "Bezplatné telefonické konzultace: v tomto období zbývá 30 min." in page
    page = client.post(url, {"minutes": 45, "channel": "phone"}, follow=True).content.decode()
    assert "Vykázáno: 30 min v rámci smlouvy, 15 min k fakturaci." in page
    assert "jsou za toto období vyčerpány" in page
    page = client.post(url, {"minutes": 20, "note": "oprava"}, follow=True).content.decode()
    assert "Vykázáno: 20 min v rámci smlouvy." in page  # work that is no call stays covered
    assert "zbývá 0 z 180 min" in page
    assert "vykázal(a) 30 minut v rámci smlouvy (telefonát)." in page
    assert (
        "Bezplatné telefonické konzultace (3 hodiny za měsíc) jsou vyčerpány; placeno 15 minut."
        in page
    )
    page = client.post(url, {"minutes": 5, "channel": "fax"}, follow=True).content.decode()
    assert TimeEntry.objects.count() == 4  # an unknown kind of work is refused with the reason
    assert "Vyberte platnou možnost" in page


def test_console_card_costs_the_same_queries_for_many_entries(client, seed):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _vendor, ticket = _today_premium(seed)
    agent = staff("hrplus-agent")
    client.force_login(agent)
    detail = f"/desk/tickets/{ticket.number}/"
    log_time(ticket, agent, 10, "", channel="phone")
    with CaptureQueriesContext(connection) as few:
        assert client.get(detail).status_code == 200
    for _ in range(12):
        log_time(ticket, agent, 10, "", channel="phone")
    with CaptureQueriesContext(connection) as many:
        page = client.get(detail).content.decode()
    assert page.count("telefonát: ") == 13
    assert len(many.captured_queries) == len(few.captured_queries)


def test_hotline_call_counts_and_the_page_shows_what_is_left(client, seed):
    from podpora.customers.models import Contact

    _today_premium(seed)
    org = Contact.objects.get(user__username="hrplus-novak").organization
    client.force_login(staff("hrplus-agent"))
    data = {
        "licence_number": "",
        "ico": org.ico,
        "first_name": "Jan",
        "last_name": "Novák",
        "version": "",
        "subject": "Uzávěrka mezd",
        "body": "Volající se ptal na uzávěrku.",
        "type": "question",
        "impact": 3,
        "urgency": 3,
        "duration": 200,
        "answer": "",
    }
    r = client.post("/desk/phone/", data)
    assert r.status_code == 302, r.content.decode()[:2000]
    entries = list(TimeEntry.objects.order_by("pk").values_list("mode", "minutes", "channel"))
    assert entries == [("covered", 180, "phone"), ("billable", 20, "phone")]
    page = client.get(r["Location"]).content.decode()
    assert "Bezplatné konzultace" in page and "zbývá 0 z 180 min (kalendářní měsíc)" in page


def test_the_paid_part_of_a_call_is_invoiced_as_a_phone_consultation(seed):
    from podpora.billing.export import build_lines

    vendor, ticket = _today_premium(seed)
    agent = staff("hrplus-agent")
    log_time(ticket, agent, 190, "uzávěrka", channel="phone")
    log_time(ticket, agent, 30, "", channel="phone")
    from django.utils import timezone

    today = timezone.localdate()
    lines = [line for line in build_lines(today, today, vendor=vendor) if line.kind == "time"]
    assert [(line.description, line.unit_price) for line in lines] == [
        (f"Telefonická konzultace: {ticket.subject} – uzávěrka (10 min)", RATE),
        (f"Telefonická konzultace: {ticket.subject} (30 min)", RATE),
    ]
