"""A change request in a real browser: the agent quotes it, the customer approves it in the
portal, the agent delivers it and the work is billed as quoted."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from tests.web.test_browser import browser, log_in, pytestmark  # noqa: F401

SHOTS = Path(__file__).resolve().parents[1] / "screenshots"


@pytest.mark.django_db(transaction=True)
def test_customer_approves_a_quote_and_it_is_billed_as_quoted(live_server, browser):  # noqa: F811
    from django.utils import timezone

    from podpora.billing.models import TimeEntry
    from podpora.tickets.models import Quote
    from tests.conftest import build_cast, new_ticket

    cast = build_cast()
    ticket = new_ticket(cast, type="change", subject="Nový export mezd")
    delivery = timezone.localdate() + dt.timedelta(days=21)

    agent = browser.new_context(locale="cs-CZ").new_page()
    log_in(agent, live_server.url, "agent")
    agent.goto(f"{live_server.url}/desk/tickets/{ticket.number}/")
    agent.fill("#quote-form textarea[name=analysis]", "Doplníme export mezd do formátu banky.")
    agent.fill("#quote-form input[name=hours]", "12,5")
    agent.fill("#quote-form input[name=delivery_on]", delivery.isoformat())
    agent.click("#quote-form button")
    agent.wait_for_selector("text=Uloženo.")
    assert "čeká na schválení" in agent.locator("section.quotes").inner_text()

    customer = browser.new_context(locale="cs-CZ").new_page()
    log_in(customer, live_server.url, "alena")
    customer.goto(f"{live_server.url}/portal/tickets/{ticket.number}/")
    card = customer.locator("section.quotes").inner_text()
    assert "18\u00a0750,00\u00a0Kč" in card and "Doplníme export mezd" in card
    SHOTS.mkdir(exist_ok=True)
    customer.screenshot(path=str(SHOTS / "portal_quote.png"), full_page=True)
    customer.fill("#quote-note", "Souhlasíme.")
    customer.click("#quote-decision button[value=approve]")
    customer.wait_for_selector("text=Nabídka byla schválena.")
    assert "schválena" in customer.locator(".quote-state").inner_text()
    assert customer.locator("#quote-decision").count() == 0
    assert "schválil(a) nabídku č. 1" in customer.content()

    agent.reload()
    agent.click("#deliver-form button")
    agent.wait_for_selector("text=Uloženo.")
    assert "vyřešen" in agent.locator("dd.state").inner_text()
    assert Quote.objects.get().state == "delivered"
    entry = TimeEntry.objects.get(ticket=ticket)
    assert (entry.minutes, entry.mode, entry.rate) == (750, "billable", Decimal(1500))
