"""A reported fault: confirmed by a test, fixed in a release, the customer told of the expected
release and again when it is out (cloudempiere's maintenance rule)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from podpora.catalog.models import Release
from podpora.tickets import services
from podpora.tickets.models import Article, Event, Ticket
from tests.conftest import new_ticket

PRAGUE = ZoneInfo("Europe/Prague")
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=PRAGUE)


def at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, 0, tzinfo=PRAGUE)


def replies(ticket) -> list[str]:
    return list(
        Article.objects.filter(ticket=ticket, from_customer=False, internal=False)
        .order_by("pk")
        .values_list("body", flat=True)
    )


@pytest.fixture
def bug(cast):
    return new_ticket(cast, type="bug", now=at(20))


def release(cast, published_at):
    return Release.objects.create(
        product=cast.product, version=cast.version, published_at=published_at
    )


def test_a_fault_is_confirmed_by_a_test_and_the_customer_is_told(cast, bug):
    services.confirm_bug(
        bug, "Reprodukováno na verzi 5.0 s daty zákazníka.", actor=cast.agent, now=NOW
    )
    bug.refresh_from_db()
    assert bug.bug_confirmed_at == NOW and bug.state == "open"
    assert replies(bug) == [
        "Chybu jsme ověřili testem a zařadili ji k opravě.\n\n"
        "Reprodukováno na verzi 5.0 s daty zákazníka."
    ]
    assert (
        Event.objects.filter(ticket=bug, kind="bug_confirmed")
        .get()
        .data["note"]
        .startswith("Reprodukováno")
    )
    with pytest.raises(ValidationError):  # once only
        services.confirm_bug(bug, "Znovu.", actor=cast.agent, now=NOW)


@pytest.mark.parametrize(
    "kind, note, error",
    [
        ("question", "Ověřeno.", "Testem se ověřuje jen nahlášená chyba nebo incident."),
        ("bug", "   ", "Popište, jak byla chyba ověřena."),
    ],
)
def test_what_cannot_be_confirmed(cast, kind, note, error):
    ticket = new_ticket(cast, type=kind, now=at(20))
    with pytest.raises(ValidationError) as exc:
        services.confirm_bug(ticket, note, actor=cast.agent, now=NOW)
    assert exc.value.messages == [error]
    assert Ticket.objects.get(pk=ticket.pk).bug_confirmed_at is None and not replies(ticket)


def test_only_a_confirmed_fault_is_marked_fixed(cast, bug):
    with pytest.raises(ValidationError) as exc:
        services.mark_fixed_in_release(bug, release(cast, at(30)), actor=cast.agent, now=NOW)
    assert exc.value.messages == ["Chybu nejdřív ověřte testem."]
    assert Ticket.objects.get(pk=bug.pk).fixed_in_release_id is None


@pytest.mark.parametrize(
    "published, state, message",
    [
        (
            at(30),
            "waiting_release",
            "Oprava bude ve verzi 5.0, jejíž vydání očekáváme 30. 11. 2026. Až vyjde, dáme vám "
            "vědět.",
        ),
        (None, "waiting_release", "Oprava bude ve verzi 5.0; datum jejího vydání vám oznámíme."),
        (
            at(21),
            "resolved",
            "Oprava je ve verzi 5.0 vydané 21. 11. 2026. Najdete ji v portálu v sekci Ke stažení.",
        ),
    ],
)
def test_the_customer_is_told_the_expected_release(cast, bug, published, state, message):
    services.confirm_bug(bug, "Ověřeno.", actor=cast.agent, now=NOW)
    fixed = services.mark_fixed_in_release(bug, release(cast, published), actor=cast.agent, now=NOW)
    assert fixed.state == state and fixed.fixed_in_release.published_at == published
    assert replies(bug)[-1] == message


def test_the_message_is_in_the_customers_language(cast):
    ticket = new_ticket(cast, type="bug", language="sk", now=at(20))
    services.confirm_bug(ticket, "Overené.", actor=cast.agent, now=NOW)
    services.mark_fixed_in_release(ticket, release(cast, at(30)), actor=cast.agent, now=NOW)
    first, last = replies(ticket)
    assert first.startswith("Chybu sme overili testom")
    assert last.startswith("Oprava bude vo verzii 5.0")


def test_a_release_reaching_its_date_resolves_the_waiting_requests_once(cast, bug):
    from podpora.catalog.jobs import announce_published

    other = new_ticket(cast, type="incident", now=at(20))
    planned = release(cast, at(30))
    for ticket in (bug, other):
        services.confirm_bug(ticket, "Ověřeno.", actor=cast.agent, now=NOW)
        services.mark_fixed_in_release(ticket, planned, actor=cast.agent, now=NOW)
    services.change_state(other, "open", actor=cast.agent, now=NOW)  # reopened meanwhile

    assert services.announce_release(planned, now=at(29)) == 0  # not out yet
    assert services.announce_release(planned, now=at(30, 10)) == 1
    assert services.announce_release(planned, now=at(30, 11)) == 0  # told once
    bug.refresh_from_db()
    assert bug.state == "resolved"
    assert replies(bug)[-1].startswith("Oprava je ve verzi 5.0 vydané 30. 11. 2026.")
    assert Ticket.objects.get(pk=other.pk).state == "open"  # no longer waiting: left alone
    assert Article.objects.filter(ticket=bug).last().sender == cast.vendor.name
    assert announce_published().startswith("0 customers")  # the job: nothing left


def test_the_console_confirms_and_marks_the_fix(client, cast, bug):
    release(cast, at(30))
    client.force_login(cast.agent)
    url = f"/desk/tickets/{bug.number}/"
    page = client.get(url).content.decode()
    assert 'id="confirm-form"' in page and 'id="fixed-form"' not in page
    client.post(f"{url}confirm-bug/", {"note": "Ověřeno testem na 5.0."})
    page = client.get(url).content.decode()
    assert "Chyba ověřena testem" in page and 'id="fixed-form"' in page
    assert "5.0 (30. 11. 2026)" in page
    planned = Release.objects.get()
    r = client.post(f"{url}fixed-in/", {"release": planned.pk}, follow=True)
    assert "Uloženo." in r.content.decode()
    assert Ticket.objects.get(pk=bug.pk).fixed_in_release == planned
    client.force_login(cast.other_agent)
    assert client.post(f"{url}confirm-bug/", {"note": "x"}).status_code == 404

    client.force_login(cast.contact_a.user)
    page = client.get(f"/portal/tickets/{bug.number}/").content.decode()
    assert "ověřena testem" in page and "oprava ve verzi 5.0" in page
