"""ESTELAR: "a fault caused by wrong configuration is not an emergency" -- the cause a solver
records caps the priority, for a vendor that says so."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from podpora.tickets import rules, services
from podpora.tickets.models import Event
from tests.conftest import new_ticket

PRAGUE = ZoneInfo("Europe/Prague")
MON_9 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=PRAGUE)


@pytest.mark.parametrize(
    "impact, urgency, cause, vendor_says, expected",
    [
        (1, 1, "", True, 1),
        (1, 1, "configuration", True, 2),  # no emergency
        (1, 1, "configuration", False, 1),  # a vendor that does not say so
        (1, 1, "software", True, 1),
        (1, 2, "configuration", True, 2),  # already no emergency: unchanged
        (2, 2, "configuration", True, 3),
        (3, 3, "configuration", True, 5),
    ],
)
def test_priority_rule(impact, urgency, cause, vendor_says, expected):
    got = rules.priority_for(impact, urgency, cause=cause, configuration_not_emergency=vendor_says)
    assert got == expected


@pytest.fixture
def estelar_like(cast):
    cast.vendor.configuration_not_emergency = True
    cast.vendor.save()
    return cast


def test_a_configuration_fault_leaves_the_emergency_track(estelar_like):
    cast = estelar_like
    t = new_ticket(cast, type="incident", impact=1, urgency=1, now=MON_9)
    assert t.priority == 1
    critical_due = t.resolution_due
    t = services.set_cause(t, "configuration", actor=cast.agent, now=MON_9)
    assert t.priority == 2 and t.cause == "configuration"
    assert t.resolution_due > critical_due  # the SLA follows the priority
    kinds = list(Event.objects.filter(ticket=t).values_list("kind", flat=True))
    assert kinds.count("cause_set") == 1 and "priority_changed" in kinds

    t = services.set_priority(t, impact=1, urgency=1, actor=cast.agent, now=MON_9)
    assert t.priority == 2  # raising impact and urgency cannot make it an emergency again

    t = services.set_cause(t, "software", actor=cast.agent, now=MON_9)
    assert t.priority == 1 and t.resolution_due == critical_due


def test_other_vendors_keep_the_matrix(cast):
    t = new_ticket(cast, type="incident", impact=1, urgency=1, now=MON_9)
    t = services.set_cause(t, "configuration", actor=cast.agent, now=MON_9)
    assert t.priority == 1


def test_an_unknown_cause_is_refused(cast):
    t = new_ticket(cast, now=MON_9)
    with pytest.raises(ValidationError):
        services.set_cause(t, "gremlins", actor=cast.agent, now=MON_9)


def test_the_console_records_the_cause(client, estelar_like):
    cast = estelar_like
    t = new_ticket(cast, type="incident", impact=1, urgency=1, now=MON_9)
    client.force_login(cast.agent)
    page = client.get(f"/desk/tickets/{t.number}/").content.decode()
    assert 'id="cause-form"' in page and "nikdy nemá kritickou prioritu" in page
    r = client.post(f"/desk/tickets/{t.number}/cause/", {"cause": "configuration"}, follow=True)
    page = r.content.decode()
    assert "Uloženo." in page and "příčina: chybná konfigurace" in page
    t.refresh_from_db()
    assert (t.cause, t.priority) == ("configuration", 2)


def test_estelar_demo_says_so(seed_estelar):
    assert seed_estelar.configuration_not_emergency


@pytest.fixture
def seed_estelar(db):
    import datetime

    from podpora.demo import VENDORS, load_vendor

    setup = next(v for v in VENDORS if v.slug == "estelar")
    return load_vendor(setup, datetime.date(2026, 3, 2))[0]
