"""The seed vendors' journeys that used to break, in a real browser (Debian's Chromium)."""

import re

import pytest

from tests.web.test_browser import browser, log_in, pytestmark  # noqa: F401


def _seed(slug):
    from django.utils import timezone

    from podpora.demo import VENDORS, load_vendor

    return load_vendor(next(v for v in VENDORS if v.slug == slug), timezone.localdate())[0]


@pytest.mark.django_db(transaction=True)
def test_start_customer_files_a_request_in_the_portal(live_server, browser):  # noqa: F811
    """ESTELAR: a customer in HOTLINE START names no licence in the portal; START serves them."""
    _seed("estelar")
    page = browser.new_context(locale="cs-CZ").new_page()
    log_in(page, live_server.url, "estelar-kratochvil", "demo")
    page.click("text=Nový požadavek")
    page.fill("input[name=subject]", "Nenačítají se průchody z terminálu")
    page.select_option("select[name=product]", label="ACS-line")
    page.fill("textarea[name=body]", "Od rána terminál u vrátnice neposílá průchody.")
    page.click("#new-ticket button[type=submit]")
    page.wait_for_selector("text=byl založen")
    entitlement = page.locator("dd.entitlement").inner_text()
    assert "HOTLINE START" in entitlement and "smlouva" not in entitlement


@pytest.mark.django_db(transaction=True)
def test_start_caller_without_the_licence_number_is_told_to_give_it(live_server, browser):  # noqa: F811
    """ESTELAR: "je nutné vždy nahlásit licenční číslo"; the agent reads exactly that."""
    from podpora.demo import make_ico

    _seed("estelar")
    page = browser.new_context(locale="cs-CZ").new_page()
    log_in(page, live_server.url, "estelar-agent", "demo")
    page.goto(f"{live_server.url}/desk/phone/")
    page.fill("input[name=ico]", make_ico(2877312))
    page.fill("input[name=first_name]", "Josef")
    page.fill("input[name=last_name]", "Kratochvil")
    page.fill("input[name=subject]", "Dotaz k docházce")
    page.fill("textarea[name=body]", "Jak nastavit směny?")
    page.click("#phone-form button[type=submit]")
    page.wait_for_selector("#phone-result")
    entitlement = page.locator("#phone-result dd.entitlement").inner_text()
    assert "nutné vždy nahlásit licenční číslo" in entitlement
    assert "Neexistuje platná smlouva" not in entitlement

    page.goto(f"{live_server.url}/desk/phone/")
    page.fill("input[name=licence_number]", "acs-2026-0147")
    page.fill("input[name=subject]", "Dotaz k docházce")
    page.fill("textarea[name=body]", "Jak nastavit směny?")
    page.click("#phone-form button[type=submit]")
    page.wait_for_selector("#phone-result")
    assert "HOTLINE START" in page.locator("#phone-result dd.entitlement").inner_text()


@pytest.mark.django_db(transaction=True)
def test_question_author_reads_and_answers_through_the_e_mailed_link(live_server, browser):  # noqa: F811
    """HR Plus's collector: the e-mail's link opens the private page, without logging in."""
    from django.core import mail
    from django.core.cache import cache

    cache.clear()  # the form's per-address limit counts other tests' questions too
    _seed("hrplus")
    page = browser.new_context(locale="cs-CZ").new_page()
    page.goto(f"{live_server.url}/dotaz/hrplus/")
    page.fill("input[name=name]", "Karel Zvědavý")
    page.fill("input[name=email]", "karel@example.cz")
    page.fill("input[name=subject]", "Umí HR Plus docházku?")
    page.fill("textarea[name=body]", "Zajímá nás modul docházky.")
    page.click("form button[type=submit]")
    page.wait_for_selector("text=dotaz jsme přijali")
    [ack] = [m for m in mail.outbox if m.to == ["karel@example.cz"]]
    [link] = re.findall(r"http://\S+/portal/\S+", ack.body)
    path = "/portal/" + link.split("/portal/", 1)[1]
    page.goto(live_server.url + path)
    assert "Umí HR Plus docházku?" in page.content()
    assert page.locator("input[name=password]").count() == 0
    page.fill("textarea[name=body]", "Doplňuji: máme 120 zaměstnanců.")
    page.click("form button[type=submit]")
    page.wait_for_selector("text=Zpráva byla odeslána.")
    assert "máme 120 zaměstnanců" in page.content()


@pytest.mark.django_db(transaction=True)
def test_end_user_is_told_whom_to_ask(live_server, browser):  # noqa: F811
    """HR Plus: the customer's end users have no access; the page names the authorised persons."""
    from django.core import mail

    from podpora.tickets.models import Ticket

    _seed("hrplus")
    before = Ticket.objects.count()
    page = browser.new_context(locale="cs-CZ").new_page()
    log_in(page, live_server.url, "hrplus-uzivatel", "demo")
    page.click("header >> text=Nový požadavek")
    page.wait_for_selector("#no-access")
    text = page.locator("#no-access").inner_text()
    assert "jen oprávněné osoby organizace" in text
    assert "Jan Novák" in text and "Eva Dvořáková" in text
    assert page.locator("input[name=subject]").count() == 0
    assert Ticket.objects.count() == before and mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_staff_print_a_licence_card_and_the_customer_registers_with_it(live_server, browser):  # noqa: F811
    """ESTELAR: a licence entered by staff gets a card; its code works typed in lower case."""
    from django.core.cache import cache

    from podpora.accounts.models import User

    cache.clear()
    _seed("estelar")
    User.objects.create_superuser("spravce", "spravce@estelar.example", "heslo-123", kind="staff")
    page = browser.new_context(locale="cs-CZ").new_page()
    log_in(page, live_server.url, "spravce")
    page.click("header >> text=Nastavení")
    page.goto(f"{live_server.url}/admin/customers/licence/add/")
    page.select_option("select[name=vendor]", label="ESTELAR")
    page.select_option("select[name=organization]", label="Obec Rusava")
    page.select_option("select[name=product]", label="ACS-line")
    page.fill("input[name=number]", "ACS-2026-0999")
    page.click("input[name=_save]")
    page.wait_for_selector(".licence-card")
    code = page.locator(".activation-code").inner_text().strip()
    assert "ACS-2026-0999" in page.locator(".licence-card").inner_text()

    customer = browser.new_context(locale="cs-CZ").new_page()
    customer.goto(f"{live_server.url}/portal/register/")
    customer.fill("input[name=licence_number]", "acs-2026-0999")
    customer.fill("input[name=code]", code.lower())
    customer.fill("input[name=first_name]", "Jana")
    customer.fill("input[name=last_name]", "Nová")
    customer.fill("input[name=email]", "jana.nova@rusava.example")
    customer.fill("input[name=password]", "Velmi-dlouhe-heslo-42")
    customer.fill("input[name=password2]", "Velmi-dlouhe-heslo-42")
    customer.click("form button[type=submit]")
    customer.wait_for_selector("text=ACS-2026-0999")
    assert "/portal/licences/" in customer.url
