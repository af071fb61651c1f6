"""InTouch CRM's journeys in a real browser (Debian's Chromium): an English portal request is
refused with a Czech reason, and an agent sets who asked and the version afterwards."""

import pytest

from tests.web.test_browser import browser, log_in, pytestmark  # noqa: F401


def _seed():
    from django.utils import timezone

    from podpora.demo import VENDORS, load_vendor

    return load_vendor(next(v for v in VENDORS if v.slug == "intouch"), timezone.localdate())[0]


@pytest.mark.django_db(transaction=True)
def test_english_portal_request_is_refused_with_a_czech_reason(live_server, browser):  # noqa: F811
    """InTouch: "Technická pomoc se poskytuje výhradně v českém jazyce"."""
    _seed()
    page = browser.new_context(locale="cs-CZ").new_page()
    log_in(page, live_server.url, "intouch-prochazka", "demo")
    page.click("text=Nový požadavek")
    page.fill("input[name=subject]", "Mass e-mail does not work")
    page.select_option("select[name=product]", label="InTouch CRM Enterprise")
    page.fill(
        "textarea[name=body]",
        "Hello, after the update to version 10.0 we cannot send the mass e-mail to our "
        "customers. Could you help us, please?",
    )
    page.click("#new-ticket button[type=submit]")
    page.wait_for_selector("text=byl založen")
    entitlement = page.locator("dd.entitlement").inner_text()
    assert "mimo podporu" in entitlement
    assert "se poskytuje jen v jazycích: čeština" in entitlement

    # the same customer writing Czech is served
    page.click("text=Nový požadavek")
    page.fill("input[name=subject]", "Nejde odeslat hromadný e-mail")
    page.select_option("select[name=product]", label="InTouch CRM Enterprise")
    page.select_option("select[name=version]", label="InTouch CRM Enterprise 10.0")
    page.fill("textarea[name=body]", "Dobrý den, po aktualizaci nejde odeslat hromadný e-mail.")
    page.click("#new-ticket button[type=submit]")
    page.wait_for_selector("text=byl založen")
    assert "mimo podporu" not in page.locator("dd.entitlement").inner_text()


@pytest.mark.django_db(transaction=True)
def test_agent_sets_who_asked_and_the_version_afterwards(live_server, browser):  # noqa: F811
    """An e-mail from an unknown address: the agent names the person and the version in the
    console; the request becomes covered, with the page's next-working-day target."""
    from podpora.tickets import services
    from podpora.tickets.models import Ticket

    vendor = _seed()
    ticket = services.create_ticket(
        services.NewTicket(
            vendor=vendor,
            subject="Nejde odeslat hromadný e-mail",
            body="Dobrý den, po aktualizaci nám nejde odeslat hromadný e-mail.",
            channel="email",
            requester_email="lukas@soukromy.example",
            requester_name="Lukáš",
            sender_verified=False,
        )
    )
    assert ticket.entitlement_status == "rejected"
    page = browser.new_context(locale="cs-CZ").new_page()
    log_in(page, live_server.url, "intouch-agent", "demo")
    page.goto(f"{live_server.url}/desk/tickets/{ticket.number}/")
    page.select_option(
        "#facts-form select[name=facts-contact]", label="Lukáš Procházka – Autodíly Ústí s.r.o."
    )
    page.select_option(
        "#facts-form select[name=facts-version]", label="InTouch CRM Enterprise 10.0"
    )
    page.click("#facts-form button")
    page.wait_for_selector("text=Nárok a SLA jsou přepočteny")
    assert "Autodíly Ústí s.r.o." in page.locator("dl.facts").inner_text()
    assert "v rámci smlouvy" in page.locator("dd.entitlement").inner_text()
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert ticket.contact.last_name == "Procházka" and ticket.version.name == "10.0"
    assert ticket.entitlement_status == "covered" and ticket.resolution_target == "1wd"
    assert ticket.events.filter(kind="field_changed", data__field="contact").exists()
