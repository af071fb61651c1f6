"""A Slovak customer reads the portal and the history in Slovak, with Czech-style dates."""

import re

import pytest

from tests.web.test_browser import browser, log_in, pytestmark  # noqa: F401


@pytest.mark.django_db(transaction=True)
def test_slovak_customer_reads_portal_and_history_in_slovak(live_server, browser):  # noqa: F811
    from podpora.tickets import services
    from tests.conftest import build_cast, new_ticket

    cast = build_cast()
    user = cast.contact_b.user
    user.language = "sk"
    user.save()
    ticket = new_ticket(cast, contact=cast.contact_b, impact=1, urgency=1)
    services.change_state(ticket, "open", actor=cast.agent)
    services.add_note(ticket, actor=cast.agent, body="Interná vec")
    services.escalate_ticket(ticket, actor=cast.agent, reason="treba vývojára")

    page = browser.new_context(locale="cs-CZ").new_page()  # the browser asks for Czech
    log_in(page, live_server.url, "bohous")
    page.wait_for_selector("text=Nová požiadavka")  # their own language after logging in
    assert page.locator("html").get_attribute("lang") == "sk"
    page.goto(f"{live_server.url}/portal/tickets/{ticket.number}/")
    history = page.locator("ol.timeline").inner_text()
    assert "Petr Operátor zmenil(a) stav z „nová“ na „v riešení“." in history
    assert "založil(a) požiadavku." in history
    assert re.search(r"\b\d{1,2}\. \d{1,2}\. 20\d\d \d\d:\d\d\b", history)
    for hidden in ("úrovne", "Interná", "interná", "SLA", "vývojára"):
        assert hidden not in history, hidden
    assert not re.search(r"\d{4}-\d\d-\d\d|→|\bopen\b|\bnew\b", history)
