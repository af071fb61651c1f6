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
