"""No ticket change undoes another: every writer locks the row and reads it again.

Each test loads the same ticket twice, as two pages (or a page and the worker) would, changes
it through the first copy, then through the second, stale one: what the first change wrote
must still be there.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from podpora.tickets import services
from podpora.tickets.models import Article, Ticket
from tests.conftest import build_cast, new_ticket

#: What another agent changed meanwhile, through their own copy of the ticket.
FIRST = [
    lambda t, c: services.change_state(t, "open", actor=c.agent),
    lambda t, c: services.assign_ticket(t, assignee=c.agent, actor=c.agent),
    lambda t, c: services.set_priority(t, impact=3, urgency=3, actor=c.agent),
]

#: Every writer of a ticket, given a copy loaded before the change above.
SECOND = {
    "add_note": lambda t, c: services.add_note(t, "Interní poznámka", actor=c.agent),
    "record_call": lambda t, c: services.record_call(
        t, "Zákazníkovi jsme zavolali.", actor=c.agent, duration_minutes=5
    ),
    "override_entitlement": lambda t, c: services.override_entitlement(
        t, status="billable", note="Dohodnuto po telefonu", actor=c.agent
    ),
    "reply": lambda t, c: services.reply(t, "Dobrý den, posíláme postup.", actor=c.agent),
    "change_state": lambda t, c: services.change_state(t, "waiting_customer", actor=c.agent),
    "set_priority": lambda t, c: services.set_priority(t, impact=1, urgency=1, actor=c.agent),
    "set_cause": lambda t, c: services.set_cause(t, "configuration", actor=c.agent),
    "assign_ticket": lambda t, c: services.assign_ticket(t, team=c.team, actor=c.agent),
    "escalate_ticket": lambda t, c: services.escalate_ticket(t, actor=c.agent, reason="Složité"),
    "add_customer_message": lambda t, c: services.add_customer_message(
        t, "Doplňuji snímek obrazovky.", actor=c.contact_a.user, contact=c.contact_a
    ),
}

FIELDS = (
    "state",
    "assignee_id",
    "team_id",
    "impact",
    "urgency",
    "priority",
    "cause",
    "level",
    "entitlement_status",
    "entitlement_overridden",
    "cc",
)


def row(ticket: Ticket) -> dict:
    fresh = Ticket.objects.get(pk=ticket.pk)
    values = {name: getattr(fresh, name) for name in FIELDS}
    values["first_responded"] = fresh.first_responded_at is not None
    values["resolution_due"] = fresh.resolution_due
    return values


@pytest.mark.parametrize("writer", SECOND.keys())
def test_a_writer_given_a_stale_ticket_keeps_what_was_changed_meanwhile(cast, writer):
    """The same two changes on two tickets: once with a stale copy, once with a fresh one."""
    opened = timezone.now()
    stale_case, fresh_case = new_ticket(cast, now=opened), new_ticket(cast, now=opened)
    stale = Ticket.objects.get(pk=stale_case.pk)  # a page loaded it before the first change
    for change in FIRST:
        change(Ticket.objects.get(pk=stale_case.pk), cast)
        change(Ticket.objects.get(pk=fresh_case.pk), cast)

    SECOND[writer](stale, cast)
    SECOND[writer](Ticket.objects.get(pk=fresh_case.pk), cast)

    expected = row(fresh_case)
    assert row(stale_case) == expected
    assert expected["state"] != "new"  # the first change did change something


def test_a_note_on_a_stale_ticket_neither_reverts_the_state_nor_clears_the_assignee(cast):
    ticket = new_ticket(cast)
    page = Ticket.objects.get(pk=ticket.pk)
    services.change_state(ticket, "open", actor=cast.agent)
    services.assign_ticket(ticket, assignee=cast.agent, actor=cast.agent)

    services.add_note(page, "Volal zákazník, pošle log.", actor=cast.agent)
    services.record_call(page, "Probrali jsme postup.", actor=cast.agent)
    services.override_entitlement(page, status="billable", note="Mimo smlouvu", actor=cast.agent)

    ticket.refresh_from_db()
    assert ticket.state == "open" and ticket.assignee == cast.agent
    assert ticket.entitlement_status == "billable" and ticket.entitlement_overridden


def test_the_entitlement_override_is_a_ticket_service_with_its_history(cast):
    from podpora.tickets.models import Event

    ticket = new_ticket(cast)
    services.override_entitlement(ticket, status="rejected", note="Školení", actor=cast.agent)
    event = Event.objects.filter(ticket=ticket, kind="entitlement").latest("pk")
    assert event.data["overridden"] is True and event.data["note"] == "Školení"
    with pytest.raises(Exception) as exc:
        services.override_entitlement(ticket, status="maybe", note="x", actor=cast.agent)
    assert "status" in exc.value.message_dict


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_second_connection_waits_for_the_first_change_and_keeps_it():
    """Two real connections: the first holds its change open while the second adds a note
    through a copy loaded before; the note waits for the lock and keeps the new state."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time (IMMEDIATE transactions); PostgreSQL only")
    cast = build_cast()
    ticket = new_ticket(cast)
    stale = Ticket.objects.get(pk=ticket.pk)
    changed = threading.Event()
    errors: list[BaseException] = []
    noted_at: list[float] = []
    committed_at: list[float] = []

    def first():
        try:
            with transaction.atomic():
                services.change_state(ticket, "open", actor=cast.agent)
                services.assign_ticket(ticket, assignee=cast.agent, actor=cast.agent)
                changed.set()
                time.sleep(0.5)  # the second connection is now waiting for the row
                committed_at.append(time.monotonic())
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)
            changed.set()
        finally:
            connection.close()

    def second():
        try:
            changed.wait(5)
            services.add_note(stale, "Poznámka ze starší stránky", actor=cast.agent)
            noted_at.append(time.monotonic())
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert not errors, errors
    assert noted_at[0] >= committed_at[0]  # it waited for the lock
    ticket.refresh_from_db()
    assert ticket.state == "open" and ticket.assignee_id == cast.agent.pk
    assert Article.objects.filter(ticket=ticket, kind="note").count() == 1
