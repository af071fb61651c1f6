"""log_time: the mode of each entry follows the entitlement; packages are drawn oldest first and
an entry is split where a package runs out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from podpora.billing.models import TimeEntry
from podpora.billing.selectors import package_balances
from podpora.billing.services import log_time
from podpora.tickets.models import Event

from .conftest import TODAY, file_ticket, staff


def rows(result):
    return [
        (e.mode, e.minutes, e.package.name if e.package else None, e.rate) for e in result.entries
    ]


@pytest.fixture
def horak(seed):
    """HR Plus one-time order with a 600-minute package (warning under 60) and a phone call."""
    vendor = seed("hrplus")
    return file_ticket(vendor, "hrplus-horak", channel="phone"), staff("hrplus-agent")


def test_package_is_drawn_down_then_split_at_its_end_then_billed(horak):
    ticket, agent = horak
    first = log_time(ticket, agent, 500, "úvodní konzultace", worked_on=TODAY)
    assert rows(first) == [("prepaid", 500, "Balík konzultací 10 h", None)]
    assert (first.minutes_left, first.low_balance, first.exhausted) == (100, False, False)

    low = log_time(ticket, agent, 50, "", worked_on=TODAY)
    assert (low.minutes_left, low.low_balance, low.exhausted) == (50, True, False)

    split = log_time(ticket, agent, 80, "nastavení mezd", worked_on=TODAY)
    assert rows(split) == [
        ("prepaid", 50, "Balík konzultací 10 h", None),
        ("billable", 30, None, Decimal("1500.00")),
    ]
    assert split.exhausted and split.minutes_left == 0 and split.mode == "split"

    after = log_time(ticket, agent, 10, "", worked_on=TODAY)
    assert rows(after) == [("billable", 10, None, Decimal("1500.00"))] and after.exhausted

    kinds = list(Event.objects.filter(ticket=ticket).values_list("kind", flat=True))
    assert kinds.count("time_logged") == 5
    assert kinds.count("prepaid_low") == 1 and kinds.count("prepaid_exhausted") == 1
    low_event = Event.objects.get(ticket=ticket, kind="prepaid_low")
    assert low_event.data["minutes_left"] == 50 and not low_event.customer_visible
    assert [left for _p, left in package_balances(ticket.organization, TODAY)] == [0]


def test_oldest_package_first_across_the_boundary(horak):
    from podpora.customers.models import PrepaidPackage

    ticket, agent = horak
    older = ticket.organization.packages.get()
    newer = PrepaidPackage.objects.create(
        organization=ticket.organization,
        name="Balík 5 h",
        minutes=300,
        valid_from=TODAY - dt.timedelta(days=1),
        low_balance_minutes=30,
    )
    log_time(ticket, agent, 590, "", worked_on=TODAY)
    crossing = log_time(ticket, agent, 40, "", worked_on=TODAY)
    assert rows(crossing) == [
        ("prepaid", 10, older.name, None),
        ("prepaid", 30, newer.name, None),
    ]
    assert crossing.minutes_left == 270 and not crossing.exhausted
    assert crossing.low_balance  # the older one ran out
    assert Event.objects.filter(ticket=ticket, kind="prepaid_exhausted").count() == 1


def test_expired_package_is_not_drawn(horak):
    ticket, agent = horak
    package = ticket.organization.packages.get()
    package.valid_to = TODAY - dt.timedelta(days=1)
    package.save()
    result = log_time(ticket, agent, 30, "", worked_on=TODAY)
    assert rows(result) == [("billable", 30, None, Decimal("1500.00"))]
    assert result.minutes_left is None


@pytest.mark.parametrize(
    "vendor,who,channel,type,extra,expected",
    [
        ("hrplus", "hrplus-novak", "phone", "incident", {}, ("covered", None)),
        ("estelar", "estelar-bartos", "phone", "question", {}, ("billable", Decimal("900.00"))),
        ("estelar", "estelar-kratochvil", "portal", "question", {}, ("covered", None)),
        ("intouch", "intouch-prochazka", "phone", "service", {"scope": "onsite"},
         ("billable", Decimal("1200.00"))),
    ],
)  # fmt: skip
def test_mode_follows_the_entitlement(seed, vendor, who, channel, type, extra, expected):
    v = seed(vendor)
    ticket = file_ticket(v, who, channel=channel, type=type, **extra)
    result = log_time(ticket, staff(f"{vendor}-resitel"), 45, "práce", worked_on=TODAY)
    assert [(e.mode, e.rate) for e in result.entries] == [expected]


def test_covered_work_keeps_the_package(seed):
    vendor = seed("hrplus")
    ticket = file_ticket(vendor, "hrplus-horak", channel="phone")
    covered = file_ticket(vendor, "hrplus-novak", channel="phone")
    log_time(covered, staff("hrplus-agent"), 120, "", worked_on=TODAY)
    assert [left for _p, left in package_balances(ticket.organization, TODAY)] == [600]


def test_work_after_start_on_a_request_made_during_start_stays_covered(seed):
    vendor = seed("estelar")
    end = TODAY + dt.timedelta(days=140)
    ticket = file_ticket(vendor, "estelar-kratochvil", channel="phone", on=end)
    later = end + dt.timedelta(days=3)
    result = log_time(ticket, staff("estelar-resitel"), 30, "", worked_on=later)
    assert [e.mode for e in result.entries] == ["covered"]


def test_rejected_request_takes_no_time_until_the_entitlement_is_changed(seed):
    from podpora.tickets.services import override_entitlement

    vendor = seed("hrplus")
    ticket = file_ticket(vendor, "hrplus-horak", channel="portal")
    agent = staff("hrplus-manager")
    with pytest.raises(ValidationError):
        log_time(ticket, agent, 30, "", worked_on=TODAY)
    assert not TimeEntry.objects.exists()
    ticket = override_entitlement(
        ticket, status="billable", note="Dohodnuto po telefonu", actor=agent
    )
    result = log_time(ticket, agent, 30, "", worked_on=TODAY)
    # the one-time plan draws on the package first, as on the phone
    assert rows(result) == [("prepaid", 30, "Balík konzultací 10 h", None)]


@pytest.mark.parametrize("minutes", [0, -5, 24 * 60 + 1, "30", True])
def test_bad_minutes_store_nothing(horak, minutes):
    ticket, agent = horak
    with pytest.raises(ValidationError):
        log_time(ticket, agent, minutes, "", worked_on=TODAY)
    assert not TimeEntry.objects.exists() and not Event.objects.filter(kind="time_logged").exists()


def test_only_the_vendors_staff_log_time(seed, horak):
    ticket, _agent = horak
    seed("intouch")
    with pytest.raises(ValidationError):
        log_time(ticket, staff("hrplus-horak"), 30, "")
    with pytest.raises(ValidationError):
        log_time(ticket, staff("intouch-agent"), 30, "")
    assert not TimeEntry.objects.exists()


def test_remote_session_is_judged_on_its_own_channel(seed):
    """Harmonik: a remote session is the paid yearly service; without it no time is taken."""
    from podpora.billing.subscriptions import subscribe

    from .test_seed_rules import harmonik_as_its_page_says

    vendor = harmonik_as_its_page_says(seed)
    ticket = file_ticket(vendor, "harmonik-jelinek", channel="phone")
    agent = staff("harmonik-agent")
    with pytest.raises(ValidationError):
        log_time(ticket, agent, 20, "TeamViewer", worked_on=TODAY, channel="remote")
    subscribe(ticket.organization, vendor.services.get(code="vzdaleny-pristup-pc"), TODAY.year)
    result = log_time(ticket, agent, 20, "TeamViewer", worked_on=TODAY, channel="remote")
    assert [e.mode for e in result.entries] == ["covered"]


def test_console_logs_time_and_warns_of_the_package(client, seed):
    from django.utils import timezone

    vendor = seed("hrplus", timezone.localdate())
    ticket = file_ticket(vendor, "hrplus-horak", channel="phone", on=timezone.localdate())
    client.force_login(staff("hrplus-agent"))
    url = f"/desk/billing/tickets/{ticket.number}/time/"
    r = client.post(url, {"minutes": 570, "note": "konzultace"}, follow=True)
    page = r.content.decode()
    assert "Vykázáno: 570 min z předplaceného balíku." in page
    assert "Předplacený balík dochází: zbývá 30 min." in page
    r = client.post(url, {"minutes": 45}, follow=True)
    page = r.content.decode()
    assert "30 min z předplaceného balíku, 15 min k fakturaci" in page and "vyčerpán" in page
    r = client.post(url, {"minutes": 0}, follow=True)
    assert TimeEntry.objects.count() == 3
    seed("intouch", timezone.localdate())
    client.force_login(staff("intouch-agent"))
    assert client.post(url, {"minutes": 5}).status_code == 404
