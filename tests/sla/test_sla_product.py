"""SLA on real tickets: due instants, pauses, warnings, breach once, escalation."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from podpora.sla import scanner
from podpora.tickets import services
from podpora.tickets.models import Event
from tests.conftest import new_ticket

P = ZoneInfo("Europe/Prague")
MON_9 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=P)  # a Monday; hours 8:00-16:30


def at(day, hour, minute=0):
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=P)


def sla_kinds(t):
    return list(
        Event.objects.filter(ticket=t, kind__startswith="sla_").values_list("kind", flat=True)
    )


@pytest.mark.parametrize(
    ("impact", "urgency", "created", "first_due", "resolution_due"),
    [
        (1, 1, MON_9, at(23, 10), at(24, 8, 30)),  # P1: 1h, 8h (7.5 h on Monday, 0.5 h on Tuesday)
        (1, 2, MON_9, at(23, 11), at(25, 16, 30)),  # P2: 2h, 2wd
        (2, 2, MON_9, at(23, 13), at(26, 16, 30)),  # P3: 4h, 3wd
        (2, 2, at(23, 15), at(24, 10, 30), at(26, 16, 30)),  # 4h across the evening
        (2, 2, at(22, 11), at(23, 12), at(26, 16, 30)),  # Sunday: counting starts Monday 8:00
    ],
)
def test_due_instants_from_policy(cast, impact, urgency, created, first_due, resolution_due):
    t = new_ticket(cast, impact=impact, urgency=urgency, now=created)
    assert t.first_response_due == first_due
    assert t.resolution_due == resolution_due


def test_ticket_without_covering_contract_has_no_sla(cast):
    from podpora.customers.models import Contact, Organization

    org = Organization.objects.create(vendor=cast.vendor, name="Bez smlouvy s.r.o.")
    person = Contact.objects.create(
        organization=org, first_name="Jiří", last_name="Beze", email="j@example.cz"
    )
    t = new_ticket(cast, contact=person, actor=cast.agent)
    assert t.entitlement_status == "rejected"
    assert t.first_response_due is None and t.resolution_due is None and t.sla_next_check is None


def test_waiting_for_customer_pauses_resolution_clock(cast):
    t = new_ticket(cast, now=MON_9)  # P3: resolution 3wd -> Thu 26 16:30
    assert t.resolution_due == at(26, 16, 30)
    services.reply(
        t, "Pošlete log.", actor=cast.agent, new_state="waiting_customer", now=at(23, 10)
    )
    t.refresh_from_db()
    assert t.sla_paused_at == at(23, 10)
    # the customer answers on Tuesday at 10:00: 6.5 h + 2 h of business time passed while paused
    services.add_customer_message(t, "Posílám.", contact=cast.contact_a, now=at(24, 10))
    t.refresh_from_db()
    assert t.sla_paused_at is None
    assert t.sla_paused_seconds == int(8.5 * 3600)
    assert t.resolution_due == at(27, 16, 30)  # Thursday 16:30 moved by 8.5 business hours
    assert sla_kinds(t).count("sla_paused") == 1 and sla_kinds(t).count("sla_resumed") == 1


def test_scanner_warns_then_breaches_once_and_escalates(
    cast, django_capture_on_commit_callbacks, mailoutbox
):
    t = new_ticket(
        cast, impact=1, urgency=1, now=MON_9
    )  # first response 1h -> 10:00; warn at 80 % = 9:48
    assert t.sla_next_check == at(23, 9, 48)
    assert scanner.scan(now=at(23, 9, 30)) == {"checked": 0, "warned": 0, "breached": 0}
    with django_capture_on_commit_callbacks(execute=True):
        assert scanner.scan(now=at(23, 9, 50))["warned"] == 1
    t.refresh_from_db()
    assert t.sla_warned_at == at(23, 9, 50) and t.sla_next_check == at(23, 10)
    assert mailoutbox and "Blíží se termín SLA" in mailoutbox[-1].subject
    with django_capture_on_commit_callbacks(execute=True):
        assert scanner.scan(now=at(23, 10, 1))["breached"] == 1
    t.refresh_from_db()
    assert t.sla_breached and t.sla_breached_at == at(23, 10, 1)
    assert t.level == 2  # escalated to the next solver level
    assert scanner.scan(now=at(23, 23))["breached"] == 0
    assert sla_kinds(t).count("sla_breached") == 1
    assert Event.objects.filter(ticket=t, kind="escalated").count() == 1


def test_answer_in_time_stops_first_response_clock(cast):
    t = new_ticket(cast, impact=1, urgency=1, now=MON_9)
    services.reply(t, "Řešíme.", actor=cast.agent, now=at(23, 9, 20))
    t.refresh_from_db()
    assert not t.sla_breached
    assert t.sla_next_check is not None and t.sla_next_check > at(
        23, 10
    )  # now only resolution matters


def test_late_answer_records_breach(cast):
    t = new_ticket(cast, impact=1, urgency=1, now=MON_9)
    services.reply(t, "Pozdě.", actor=cast.agent, now=at(23, 11))
    t.refresh_from_db()
    assert t.sla_breached and sla_kinds(t).count("sla_breached") == 1


def test_concurrent_scanners_claim_each_ticket_once(cast):
    t = new_ticket(cast, impact=1, urgency=1, now=MON_9)
    first = scanner.claim_due(at(23, 10, 5), 10)
    second = scanner.claim_due(at(23, 10, 5), 10)
    assert first == [t.pk] and second == []


def test_next_official_release_target(cast):
    from podpora.catalog.models import Release
    from podpora.sla.models import SlaTarget

    SlaTarget.objects.filter(policy=cast.policy, priority=5).update(resolution="release")
    t = new_ticket(cast, impact=3, urgency=3, type="bug", now=MON_9)
    assert t.resolution_target == "release" and t.resolution_due is None
    release = Release.objects.create(
        product=cast.product, version=cast.version, published_at=at(30, 9)
    )
    t = services.confirm_bug(t, "Ověřeno na testovací databázi.", actor=cast.agent, now=at(24, 8))
    t = services.mark_fixed_in_release(t, release, actor=cast.agent, now=at(24, 9))
    assert t.resolution_due == at(30, 9) and t.state == "waiting_release"


def test_sla_history_reads_in_console(cast, client):
    t = new_ticket(cast, now=MON_9)
    services.reply(t, "Čekáme.", actor=cast.agent, new_state="waiting_customer", now=at(23, 10))
    client.force_login(cast.agent)
    html = client.get(f"/desk/tickets/{t.number}/").content.decode()
    assert "Historie SLA" in html
    assert "SLA pozastaveno" in html
