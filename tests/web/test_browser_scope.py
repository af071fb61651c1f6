"""Journeys of the vendors' scope rules and channels, in Debian's Chromium."""

import pytest

from tests.web.test_browser import browser, log_in, pytestmark  # noqa: F401


@pytest.mark.django_db(transaction=True)
def test_customer_picks_a_kind_not_covered_and_the_agent_reclassifies(
    live_server,
    browser,  # noqa: F811
):
    from django.utils import timezone

    from podpora.demo import VENDORS, load_vendor

    load_vendor(next(v for v in VENDORS if v.slug == "hrplus"), timezone.localdate())
    base = live_server.url

    customer = browser.new_context(locale="cs-CZ").new_page()
    log_in(customer, base, "hrplus-novak", "demo")
    customer.click("text=Nový požadavek")
    customer.fill("input[name=subject]", "Školení nových mzdových účetních")
    customer.select_option("select[name=scope]", label="Školení produktu – není součástí podpory")
    customer.fill("textarea[name=body]", "Potřebujeme zaškolit dvě nové kolegyně.")
    customer.click("#new-ticket button[type=submit]")
    customer.wait_for_selector("text=byl založen")
    number = customer.locator(".number").inner_text().strip()
    entitlement = customer.locator("dd.entitlement").inner_text()
    assert "mimo podporu" in entitlement and "Školení produktu" in entitlement
    assert "training" not in customer.content()

    agent = browser.new_context(locale="cs-CZ").new_page()
    log_in(agent, base, "hrplus-agent", "demo")
    agent.goto(f"{base}/desk/tickets/{number}/")
    agent.select_option("#reclassify-form select[name=scope]", "")
    agent.select_option("#reclassify-form select[name=type]", "implementation")
    agent.click("#reclassify-form button")
    agent.wait_for_selector("text=Uloženo")
    assert "v rámci smlouvy" in agent.locator("dd.entitlement").inner_text()

    customer.reload()
    assert "v rámci smlouvy" in customer.locator("dd.entitlement").inner_text()


@pytest.mark.django_db(transaction=True)
def test_visitor_reads_the_hotline_hours_on_the_public_form(live_server, browser):  # noqa: F811
    from django.utils import timezone

    from podpora.demo import VENDORS, load_vendor

    load_vendor(next(v for v in VENDORS if v.slug == "harmonik"), timezone.localdate())
    page = browser.new_context(locale="cs-CZ").new_page()
    page.goto(f"{live_server.url}/dotaz/harmonik/")
    phone = page.locator("#channels dd.channel-phone").inner_text()
    assert "224 211 287" in phone
    assert "po, út, čt 8:30–17:00; st 8:30–18:00; pá 10:00–16:30" in phone
    assert "kdykoli" in page.locator("#channels dd.channel-email").inner_text()


@pytest.mark.django_db(transaction=True)
def test_agent_asks_for_data_and_the_analysis_clock_starts_on_arrival(
    live_server,
    browser,  # noqa: F811
):
    from django.utils import timezone

    from podpora.demo import VENDORS, load_vendor
    from podpora.tickets.models import Ticket
    from tests.billing.conftest import file_ticket

    vendor = load_vendor(next(v for v in VENDORS if v.slug == "harmonik"), timezone.localdate())[0]
    ticket = file_ticket(vendor, "harmonik-pokorna", channel="phone", on=timezone.localdate())
    agent = browser.new_context(locale="cs-CZ").new_page()
    log_in(agent, live_server.url, "harmonik-agent", "demo")
    agent.goto(f"{live_server.url}/desk/tickets/{ticket.number}/")
    agent.fill("#request-data-form textarea[name=body]", "Pošlete prosím zálohu dat firmy.")
    agent.click("#request-data-form button")
    agent.wait_for_selector("#data-received-form")
    assert Ticket.objects.get(pk=ticket.pk).sla_paused_at is not None
    agent.click("#data-received-form button")
    agent.wait_for_selector("text=lhůta na analýzu běží")
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert ticket.analysis_started_at is not None and ticket.sla_paused_at is None
