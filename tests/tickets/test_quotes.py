"""Change requests: a quote sent, decided by the customer's authorised person, delivered and
billed as quoted; each step in the history and by e-mail."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from podpora.billing.export import build_lines, totals
from podpora.billing.models import TimeEntry
from podpora.tickets import history, quotes, services
from podpora.tickets.models import Article, Event, Quote
from tests.conftest import new_ticket

PRAGUE = ZoneInfo("Europe/Prague")
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=PRAGUE)


@pytest.fixture
def change(cast):
    return new_ticket(cast, type="change", subject="Nový export mezd", now=NOW)


def send(cast, ticket, **kw):
    data = {
        "analysis": "Doplníme export mezd do formátu banky.",
        "hours": Decimal("12.5"),
        "delivery_on": dt.date(2026, 12, 18),
        "actor": cast.agent,
        "now": NOW,
    }
    data.update(kw)
    return services.send_quote(ticket, **data)


def kinds(ticket):
    return list(Event.objects.filter(ticket=ticket).values_list("kind", flat=True))


def _contact(org_id, role="authorised", active=True):
    return SimpleNamespace(organization_id=org_id, role=role, is_active=active)


@pytest.mark.parametrize(
    "role, same_org, active, admin_only, allowed",
    [
        ("authorised", True, True, False, True),
        ("customer_admin", True, True, False, True),
        ("end_user", True, True, False, False),
        ("authorised", False, True, False, False),
        ("authorised", True, False, False, False),
        ("authorised", True, True, True, False),
        ("customer_admin", True, True, True, True),
        ("customer_admin", False, True, True, False),
        ("end_user", True, True, True, False),
    ],
)
def test_who_decides_a_quote(role, same_org, active, admin_only, allowed):
    ticket = SimpleNamespace(organization_id=1)
    contact = _contact(1 if same_org else 2, role, active)
    assert quotes.may_decide(contact, ticket, admin_only=admin_only) is allowed
    assert quotes.may_decide(None, ticket, admin_only=admin_only) is False


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100), places=2))
def test_hours_are_whole_minutes(hours):
    assert quotes.hours_valid(hours) == ((hours * 60) % 1 == 0)
    if quotes.hours_valid(hours):
        assert Decimal(quotes.quoted_minutes(hours)) == hours * 60


@pytest.mark.parametrize("hours", [Decimal(0), Decimal("-1"), Decimal("0.01"), Decimal("1e6")])
def test_bad_hours_are_refused(hours):
    assert not quotes.hours_valid(hours)


def test_the_quote_is_priced_from_the_price_list_and_mailed(
    cast, change, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        quote = send(cast, change)
    assert quote.rate == Decimal(1500) and quote.amount == Decimal("18750.00")
    change.refresh_from_db()
    assert change.state == "waiting_customer"
    body = Article.objects.filter(ticket=change, from_customer=False).get().body
    assert "Doplníme export mezd" in body
    assert "18\u00a0750,00\u00a0Kč" in body and "18. 12. 2026" in body
    assert any(change.number in m.subject for m in mail.outbox)
    assert any(m.to == [cast.contact_a.email] for m in mail.outbox)
    assert "quote_sent" in kinds(change)


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"analysis": " "}, "analysis"),
        ({"hours": Decimal(0)}, "hours"),
        ({"hours": Decimal("0.01")}, "hours"),
        ({"delivery_on": dt.date(2026, 11, 22)}, "delivery_on"),
    ],
)
def test_a_bad_quote_stores_nothing(cast, change, overrides, field):
    with pytest.raises(ValidationError) as exc:
        send(cast, change, **overrides)
    assert field in exc.value.message_dict
    assert not Quote.objects.exists()


def test_only_a_change_request_is_quoted_and_only_once(cast, change):
    other = new_ticket(cast, type="question", now=NOW)
    with pytest.raises(ValidationError):
        send(cast, other)
    send(cast, change)
    with pytest.raises(ValidationError):
        send(cast, change)
    assert Quote.objects.count() == 1


def test_no_rate_no_quote(cast, change):
    cast.vendor.price_list_rate = None
    cast.vendor.save()
    change = type(change).objects.get(pk=change.pk)
    with pytest.raises(ValidationError) as exc:
        send(cast, change)
    assert "rate" in exc.value.message_dict
    assert send(cast, change, rate=Decimal(1000)).amount == Decimal("12500.00")


def test_approval_refusal_and_delivery_billed_as_quoted(
    cast, change, django_capture_on_commit_callbacks
):
    quote = send(cast, change)
    with pytest.raises(ValidationError):  # an end user decides nothing
        services.decide_quote(
            quote, approve=True, contact=cast.end_user_a, actor=cast.end_user_a.user
        )
    with pytest.raises(ValidationError):  # nor a contact of another organisation
        services.decide_quote(
            quote, approve=True, contact=cast.contact_b, actor=cast.contact_b.user
        )
    with pytest.raises(ValidationError):  # not approved yet
        services.deliver_quote(quote, actor=cast.agent)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_quote(
            quote,
            approve=True,
            contact=cast.contact_a2,
            actor=cast.contact_a2.user,
            note="Souhlas.",
        )
    quote.refresh_from_db()
    assert quote.state == "approved" and quote.decided_by == cast.contact_a2
    change.refresh_from_db()
    assert change.state == "open"  # back with the agents
    assert any(cast.agent.email in m.to for m in mail.outbox)  # the agents are told
    with pytest.raises(ValidationError):  # decided once
        services.decide_quote(
            quote, approve=False, contact=cast.contact_a, actor=cast.contact_a.user
        )
    # solvers' logged time does not change what is billed for the quoted work
    services.deliver_quote(quote, actor=cast.agent, now=NOW + dt.timedelta(days=3))
    quote.refresh_from_db()
    change.refresh_from_db()
    assert quote.state == "delivered" and change.state == "resolved"
    entry = TimeEntry.objects.get(ticket=change)
    assert (entry.minutes, entry.mode, entry.rate) == (750, "billable", Decimal(1500))
    assert quote.time_entry == entry
    lines = build_lines(dt.date(2026, 11, 1), dt.date(2026, 11, 30), vendor=cast.vendor)
    assert totals(lines).base == Decimal("18750.00")
    assert {"quote_sent", "quote_approved", "quote_delivered"} <= set(kinds(change))


def test_a_fixed_price_quote_is_billed_at_its_price(cast, change):
    cast.vendor.price_list_rate = None  # a fixed price needs no rate from the price list
    cast.vendor.save()
    change = type(change).objects.get(pk=change.pk)
    quote = send(cast, change, hours=Decimal(17), fixed_amount=Decimal(25000))
    assert quote.fixed_price and quote.amount == Decimal("25000.00")
    assert quote.rate == Decimal("1470.59")  # per estimated hour, for the time entry
    body = Article.objects.filter(ticket=change, from_customer=False).get().body
    assert "Pevná cena za celou změnu; odhad práce 17 h" in body
    assert "25\u00a0000,00\u00a0Kč" in body and "po " not in body
    services.decide_quote(quote, approve=True, contact=cast.contact_a, actor=cast.contact_a.user)
    services.deliver_quote(quote, actor=cast.agent, now=NOW + dt.timedelta(days=3))
    lines = build_lines(dt.date(2026, 11, 1), dt.date(2026, 11, 30), vendor=cast.vendor)
    assert len(lines) == 1 and lines[0].unit == "ks" and lines[0].quantity == Decimal(1)
    assert totals(lines).base == Decimal("25000.00")  # not 17 h × 1 470,59 = 25 000,03


@pytest.mark.parametrize("amount", [Decimal(0), Decimal(-5)])
def test_a_fixed_price_must_be_positive(cast, change, amount):
    with pytest.raises(ValidationError) as exc:
        send(cast, change, fixed_amount=amount)
    assert "fixed_amount" in exc.value.message_dict
    assert not Quote.objects.exists()


def test_refused_quote_can_be_replaced(cast, change):
    quote = send(cast, change)
    services.decide_quote(quote, approve=False, contact=cast.contact_a, actor=cast.contact_a.user)
    assert Quote.objects.get().state == "refused"
    with pytest.raises(ValidationError):
        services.deliver_quote(quote, actor=cast.agent)
    change.refresh_from_db()
    second = send(cast, change, hours=Decimal(8))
    assert second.number == 2 and second.amount == Decimal("12000.00")
    assert "quote_refused" in kinds(change)


def test_vendor_may_require_the_customer_admin(cast, change):
    cast.vendor.quotes_by_customer_admin = True
    cast.vendor.save()
    quote = send(cast, change)
    with pytest.raises(ValidationError) as exc:
        services.decide_quote(
            quote, approve=True, contact=cast.contact_a, actor=cast.contact_a.user
        )
    assert "správce zákazníka" in " ".join(exc.value.messages)
    cast.contact_a2.role = "customer_admin"
    cast.contact_a2.save()
    services.decide_quote(quote, approve=True, contact=cast.contact_a2, actor=cast.contact_a2.user)
    assert Quote.objects.get().state == "approved"


@pytest.mark.parametrize(
    "kind, data, lang, expected",
    [
        (
            "quote_sent",
            {"quote": 1, "hours": "12.50", "amount": "18750.00", "delivery_on": "2026-12-18"},
            "cs",
            "Petr poslal(a) nabídku č. 1: 12,50 h za 18\u00a0750,00\u00a0Kč bez DPH, "
            "dodání do 18. 12. 2026.",
        ),
        (
            "quote_sent",
            {"quote": 1, "hours": "12.00", "amount": "18000.00", "delivery_on": "2026-12-18"},
            "en",
            "Petr sent quote no. 1: 12 h for CZK 18,000.00 excl. VAT, delivery by 18 Dec 2026.",
        ),
        ("quote_approved", {"quote": 2}, "sk", "Petr schválil(a) ponuku č. 2."),
        ("quote_refused", {"quote": 2}, "en", "Petr refused quote no. 2."),
        (
            "quote_delivered",
            {"quote": 1, "amount": "18750.00"},
            "cs",
            "Petr dodal(a) změnu podle nabídky č. 1 (fakturuje se 18\u00a0750,00\u00a0Kč).",
        ),
    ],
)
def test_quote_history_reads(kind, data, lang, expected):
    with translation.override(lang):
        assert history.render(kind, data, actor="Petr") == expected


def test_portal_decision(client, cast, change):
    quote = send(cast, change)
    client.force_login(cast.contact_b.user)  # another organisation: not even the ticket
    assert (
        client.post(f"/portal/tickets/{change.number}/quote/", {"decision": "approve"}).status_code
        == 404
    )
    client.force_login(cast.end_user_a.user)
    client.post(f"/portal/tickets/{change.number}/quote/", {"decision": "approve"})
    assert Quote.objects.get().state == "sent"
    client.force_login(cast.contact_a.user)
    page = client.get(f"/portal/tickets/{change.number}/").content.decode()
    assert "Schválit nabídku" in page and "18\u00a0750,00\u00a0Kč" in page
    response = client.post(
        f"/portal/tickets/{change.number}/quote/", {"decision": "approve", "note": "Ano."}
    )
    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.state == "approved" and quote.decision_note == "Ano."
    page = client.get(f"/portal/tickets/{change.number}/").content.decode()
    assert "Schválit nabídku" not in page and "schválena" in page


def test_desk_sends_and_delivers(client, cast, change):
    client.force_login(cast.agent)
    page = client.get(f"/desk/tickets/{change.number}/").content.decode()
    assert 'id="quote-form"' in page
    client.post(
        f"/desk/tickets/{change.number}/quote/",
        {"analysis": "Export.", "hours": "2,5", "rate": "", "delivery_on": "2099-01-31"},
    )
    quote = Quote.objects.get()
    assert (quote.hours, quote.amount) == (Decimal("2.5"), Decimal("3750.00"))
    client.force_login(cast.other_agent)  # another vendor's agent
    assert client.post(f"/desk/tickets/{change.number}/quote/deliver/", {}).status_code == 404
    services.decide_quote(quote, approve=True, contact=cast.contact_a, actor=cast.contact_a.user)
    client.force_login(cast.agent)
    assert 'id="deliver-form"' in client.get(f"/desk/tickets/{change.number}/").content.decode()
    client.post(f"/desk/tickets/{change.number}/quote/deliver/", {"note": ""})
    assert Quote.objects.get().state == "delivered"


def test_desk_sends_a_fixed_price_and_the_customer_reads_it(client, cast, change):
    client.force_login(cast.agent)
    both = client.post(
        f"/desk/tickets/{change.number}/quote/",
        {"analysis": "Export.", "hours": "10", "rate": "1000", "fixed_amount": "9000",
         "delivery_on": "2099-01-31"},
        follow=True,
    )  # fmt: skip
    assert not Quote.objects.exists()
    assert "buď sazbu, nebo pevnou cenu" in both.content.decode()
    client.post(
        f"/desk/tickets/{change.number}/quote/",
        {"analysis": "Export.", "hours": "10", "rate": "", "fixed_amount": "9 000",
         "delivery_on": "2099-01-31"},
    )  # fmt: skip
    quote = Quote.objects.get()
    assert quote.fixed_price and quote.amount == Decimal("9000.00")
    desk = client.get(f"/desk/tickets/{change.number}/").content.decode()
    assert "pevná cena <strong>9\u00a0000,00\u00a0Kč</strong> (odhad 10,00 h)" in desk
    client.force_login(cast.contact_a.user)
    page = client.get(f"/portal/tickets/{change.number}/").content.decode()
    assert "pevná cena za celou změnu (odhad 10,00 h)" in page
