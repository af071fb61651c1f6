"""The agent's ticket page in Debian's Chromium: keyboard, macros, partial updates, links,
collisions; managing macros and opening a request for a customer from the menu. A screenshot
of the ticket page is kept in tests/screenshots/."""

from pathlib import Path

import pytest

from tests.web.test_browser import browser, log_in, pytestmark  # noqa: F401

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"


def _until(condition, seconds=10):
    """Wait for a condition checked from here (our CSP forbids Playwright's eval'd predicates)."""
    import time

    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.1)


def _hrplus():
    from django.utils import timezone

    from podpora.demo import VENDORS, load_vendor

    return load_vendor(next(v for v in VENDORS if v.slug == "hrplus"), timezone.localdate())[0]


@pytest.mark.django_db(transaction=True)
def test_agent_works_a_ticket_from_the_keyboard(live_server, browser):  # noqa: F811
    from django.core import mail
    from django.utils import timezone

    from podpora.accounts.models import User
    from podpora.macros.models import Macro
    from podpora.tickets import services
    from podpora.tickets.models import Article, Ticket
    from tests.billing.conftest import file_ticket

    vendor = _hrplus()
    today = timezone.localdate()
    older = file_ticket(vendor, "hrplus-novak", on=today, subject="Starší dotaz")
    ticket = file_ticket(vendor, "hrplus-dvorakova", on=today, subject="Nejde výplatní páska")
    Macro.objects.create(
        vendor=vendor,
        name="Poděkování",
        body_cs="{osloveni},\n\npožadavek {cislo} řešíme, ozveme se {termin}.",
    )
    agent_user = User.objects.get(username="hrplus-agent")
    base = live_server.url

    agent = browser.new_context(locale="cs-CZ", viewport={"width": 1280, "height": 900}).new_page()
    log_in(agent, base, "hrplus-agent", "demo")
    agent.goto(f"{base}/desk/tickets/{ticket.number}/")
    agent.evaluate("window.__stayed = true")  # gone if the page reloads fully

    agent.keyboard.press("r")
    assert agent.evaluate("document.activeElement.id") == "reply_body"
    agent.keyboard.press("Escape")

    agent.select_option("#macro_macro", label="Poděkování")
    agent.click("#insert-button")
    _until(lambda: "Dvořáková" in agent.input_value("#reply_body"))
    text = agent.input_value("#reply_body")
    assert text.startswith("Dobrý den, paní Dvořáková,") and ticket.number in text
    assert agent.evaluate("window.__stayed === true")

    mail.outbox.clear()
    agent.click("#reply-form button.primary")
    agent.wait_for_selector("text=Odpověď byla odeslána.")
    assert agent.evaluate("window.__stayed === true")  # htmx swapped the page's part only
    sent = Article.objects.get(ticket=ticket, kind="email_out")
    assert sent.body.startswith("Dobrý den, paní Dvořáková,")
    [letter] = [m for m in mail.outbox if ticket.number in m.subject]
    assert letter.body.count("Dobrý den") == 1

    agent.keyboard.press("a")
    agent.wait_for_selector("text=Požadavek je přidělen vám.")
    assert Ticket.objects.get(pk=ticket.pk).assignee == agent_user
    assert agent_user.get_full_name() in agent.locator("dd.assignee").inner_text()

    agent.keyboard.press("s")
    assert agent.evaluate("document.activeElement.id") == "state_state"
    agent.select_option("#state_state", "waiting_customer")
    agent.click("#state-form button")
    agent.wait_for_selector("dd.state:has-text('čeká na zákazníka')")
    assert agent.evaluate("window.__stayed === true")

    agent.select_option("#link_kind", "related")
    agent.fill("#link_number", older.number)
    agent.click("#link-form button")
    agent.wait_for_selector(f"#links-card a:has-text('{older.number}')")
    SCREENSHOTS.mkdir(exist_ok=True)
    agent.screenshot(path=str(SCREENSHOTS / "ticket.png"), full_page=True)

    # a colleague opens it while the customer writes: the second reply is held back
    colleague = browser.new_context(locale="cs-CZ").new_page()
    log_in(colleague, base, "hrplus-resitel", "demo")
    colleague.goto(f"{base}/desk/tickets/{ticket.number}/")
    assert agent_user.get_full_name() in colleague.locator("#presence").inner_text()
    services.add_customer_message(ticket, "Už to jde, děkuji.", actor=ticket.contact.user)
    colleague.fill("#reply_body", "Zkuste prosím restart.")
    colleague.click("#reply-form button.primary")
    colleague.wait_for_selector("#collision")
    assert "Už to jde, děkuji." in colleague.locator("#collision").inner_text()
    assert colleague.input_value("#reply_body") == "Zkuste prosím restart."
    assert not Article.objects.filter(body="Zkuste prosím restart.").exists()

    agent.goto(f"{base}/desk/tickets/{ticket.number}/")
    agent.keyboard.press("j")
    agent.wait_for_url(f"**/desk/tickets/{older.number}/")


@pytest.mark.django_db(transaction=True)
def test_agent_writes_a_macro_and_opens_a_request_for_a_customer(live_server, browser):  # noqa: F811
    from podpora.macros.models import Macro
    from podpora.tickets.models import Ticket

    vendor = _hrplus()
    base = live_server.url
    page = browser.new_context(locale="cs-CZ").new_page()
    log_in(page, base, "hrplus-agent", "demo")

    page.click("header >> text=Makra")
    page.click("text=Nové makro")
    page.fill("#macro_name", "Čekáme na data")
    page.fill("#macro_body_cs", "{osloveni},\n\npošlete nám prosím zálohu dat.")
    page.select_option("#macro_set_state", "waiting_customer")
    page.click("#macro-form button")
    page.wait_for_selector("#macros >> text=Čekáme na data")
    assert Macro.objects.get(name="Čekáme na data").vendor == vendor

    page.click("header >> text=Nový požadavek")
    org = vendor.organizations.order_by("name").first()
    page.select_option("#new_organization", str(org.pk))
    page.select_option("#new_channel", "post")
    page.fill("#new_subject", "Dopis: nejde export")
    page.fill("#new_body", "Zákazník píše dopisem, že nejde export do banky.")
    page.click("#agent-new-ticket button")
    page.wait_for_selector("text=byl založen")
    ticket = Ticket.objects.get(subject="Dopis: nejde export")
    assert ticket.channel == "post" and ticket.organization == org
    assert page.locator("h1 .number").inner_text() == ticket.number
