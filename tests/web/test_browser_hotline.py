"""The hotline in a real browser (Debian's Chromium): the agent types who is calling, the
caller is found while typing, the entitlement is shown before anything is saved, the call
is registered. A screenshot of the hotline is kept in tests/screenshots/."""

from pathlib import Path

import pytest

from tests.web.test_browser import browser, log_in, pytestmark  # noqa: F401

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"


def _seed(slug):
    from django.utils import timezone

    from podpora.demo import VENDORS, load_vendor

    return load_vendor(next(v for v in VENDORS if v.slug == slug), timezone.localdate())[0]


@pytest.mark.django_db(transaction=True)
def test_agent_types_caller_found_entitlement_shown_call_registered(live_server, browser):  # noqa: F811
    from podpora.tickets.models import Ticket

    _seed("estelar")
    page = browser.new_context(locale="cs-CZ", viewport={"width": 1280, "height": 1100}).new_page()
    log_in(page, live_server.url, "estelar-agent", "demo")
    page.click("text=Telefonát, fax, dopis")
    page.locator("#lookup-q").press_sequentially("kratochvi", delay=40)
    hit = page.locator("#lookup-results a", has_text="Josef Kratochvíl")
    hit.wait_for()
    assert Ticket.objects.count() == 0
    # the type-ahead listed it without a page load: the form was never submitted
    assert "q=" not in page.url
    hit.click()
    page.wait_for_selector("#caller-card")
    entitlement = page.locator("#preview-entitlement").inner_text()
    assert "nutné vždy nahlásit licenční číslo" in entitlement  # ESTELAR: no number given
    assert Ticket.objects.count() == 0

    # the caller reads out the licence number: START covers the call
    page.locator("#lookup-q").fill("")
    page.locator("#lookup-q").press_sequentially("acs-2026-0147", delay=30)
    page.locator("#lookup-results a", has_text="ACS-2026-0147").click()
    page.wait_for_selector("#caller-card")
    page.select_option("#preview-version", label="ACS-line 6.0")
    page.wait_for_url("**version=**")
    entitlement = page.locator("#preview-entitlement").inner_text()
    assert "v rámci podpory" in entitlement and "HOTLINE START" in entitlement
    assert "Obec Rusava" in page.locator("#caller-card h2").inner_text()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "hotline.png"), full_page=True)
    assert Ticket.objects.count() == 0

    assert page.locator("#id_licence_number").input_value() == "ACS-2026-0147"
    assert page.locator("#id_version").input_value() == "6.0"
    page.fill("#id_subject", "Nenačítají se průchody")
    page.fill("#id_body", "Terminál u vrátnice neposílá průchody.")
    page.fill("#id_duration", "8")
    page.click("#phone-form button[type=submit]")
    page.wait_for_selector("#phone-result")
    ticket = Ticket.objects.get()
    assert ticket.licence.number == "ACS-2026-0147" and ticket.entitlement_status == "covered"
    assert ticket.articles.filter(kind="phone", duration_minutes=8).exists()
    assert "HOTLINE START" in page.locator("#phone-result dd.entitlement").inner_text()


@pytest.mark.django_db(transaction=True)
def test_caller_id_opens_the_hotline_with_the_caller(live_server, browser):  # noqa: F811
    from podpora.demo import demo_phone

    _seed("hrplus")
    page = browser.new_context(locale="cs-CZ").new_page()
    log_in(page, live_server.url, "hrplus-agent", "demo")
    number = demo_phone("hrplus-dvorakova").replace(" ", "")
    page.goto(f"{live_server.url}/desk/phone/?number={number.replace('+', '%2B')}")
    page.wait_for_selector("#caller-card")
    assert "Eva Dvořáková" in page.locator("#caller-card .caller-person").inner_text()
    assert page.locator("#id_last_name").input_value() == "Dvořáková"
