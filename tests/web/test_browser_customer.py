"""The customer's journeys in a real browser: answers before asking, rating a resolution,
the contract page, closing and reopening a request. Screenshots go to tests/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.web.test_browser import browser, log_in, pytestmark  # noqa: F401

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _hrplus():
    from django.core.cache import cache
    from django.utils import timezone

    from podpora.demo import VENDORS, load_articles, load_tickets, load_vendor

    cache.clear()
    setup = next(v for v in VENDORS if v.slug == "hrplus")
    vendor = load_vendor(setup, timezone.localdate())[0]
    load_articles(setup, vendor, timezone.now())
    load_tickets(setup, vendor, timezone.now())
    return vendor


@pytest.mark.django_db(transaction=True)
def test_customer_finds_the_answer_while_typing_and_files_nothing(live_server, browser):  # noqa: F811
    from podpora.kb.models import Deflection
    from podpora.tickets.models import Ticket

    _hrplus()
    before = Ticket.objects.count()
    page = browser.new_context(locale="cs-CZ").new_page()
    log_in(page, live_server.url, "hrplus-novak", "demo")
    page.click("header >> text=Nový požadavek")
    page.fill("input[name=subject]", "Roční zuctovani dane")
    page.fill("textarea[name=body]", "Jak postupovat při uzávěrce?")
    page.wait_for_selector("#suggestions .suggestion >> text=Roční zúčtování daně: postup uzávěrky")
    shot(page, "portal-new-request-suggestions")
    page.click("#suggestions button.helped")
    page.wait_for_selector("text=Jsme rádi, že jste odpověď našli")
    assert Ticket.objects.count() == before
    deflection = Deflection.objects.get()
    assert deflection.subject == "Roční zuctovani dane"
    assert deflection.article.slug == "rocni-zuctovani"


@pytest.mark.django_db(transaction=True)
def test_customer_rates_from_the_e_mail_link_and_changes_it_in_the_portal(live_server, browser):  # noqa: F811
    from podpora.satisfaction import tokens
    from podpora.satisfaction.models import Rating
    from podpora.tickets.models import Ticket

    _hrplus()
    ticket = Ticket.objects.get(subject="Jak nastavit nový typ dovolené?", state="resolved")
    context = browser.new_context(locale="cs-CZ")
    page = context.new_page()
    page.goto(f"{live_server.url}/hodnoceni/{tokens.make(ticket.pk, 2)}/")
    assert page.locator("input[name=score][value='2']").is_checked()
    page.fill("textarea[name=comment]", "Odpověď přišla pozdě.")
    shot(page, "rating-from-e-mail")
    page.click("#rating-form button[type=submit]")
    page.wait_for_selector("#rating-thanks")
    rating = Rating.objects.get(ticket=ticket)
    assert (rating.score, rating.comment) == (2, "Odpověď přišla pozdě.")
    ticket.refresh_from_db()
    assert ticket.articles.filter(internal=True, body__contains="známkou 2 z 5").exists()

    log_in(page, live_server.url, "hrplus-dvorakova", "demo")
    page.goto(f"{live_server.url}/portal/tickets/{ticket.number}/")
    page.wait_for_selector("text=Vaše hodnocení: 2 z 5")
    page.check("#rating-form input[name=score][value='5']")
    page.click("#rating-form button[type=submit]")
    page.wait_for_selector("text=Vaše hodnocení: 5 z 5")
    shot(page, "portal-ticket-rated")
    assert Rating.objects.get(ticket=ticket).score == 5


@pytest.mark.django_db(transaction=True)
def test_customer_admin_reads_the_contract_page_from_the_menu(live_server, browser):  # noqa: F811
    _hrplus()
    page = browser.new_context(locale="cs-CZ").new_page()
    log_in(page, live_server.url, "hrplus-novak", "demo")
    page.click("header >> text=Smlouvy a služby")
    page.wait_for_selector("h1 >> text=Smlouvy a služby")
    contracts = page.locator("#contracts").inner_text()
    assert "nejpozději do" in contracts
    assert "Strojírny Morava" in page.locator("main").inner_text()
    shot(page, "portal-contract")


@pytest.mark.django_db(transaction=True)
def test_author_closes_and_reopens_a_request(live_server, browser):  # noqa: F811
    from podpora.tickets.models import Ticket

    _hrplus()
    ticket = Ticket.objects.get(subject="Výpočet mezd padá při uzávěrce")
    page = browser.new_context(locale="cs-CZ").new_page()
    log_in(page, live_server.url, "hrplus-novak", "demo")
    page.goto(f"{live_server.url}/portal/tickets/{ticket.number}/")
    shot(page, "portal-ticket-open")
    page.click("#close-ticket")
    page.wait_for_selector("text=Požadavek byl uzavřen.")
    ticket.refresh_from_db()
    assert ticket.state == "closed"
    page.click("#reopen-ticket")
    page.wait_for_selector("text=Požadavek byl znovu otevřen.")
    ticket.refresh_from_db()
    assert ticket.state == "open"


@pytest.mark.django_db(transaction=True)
def test_public_form_suggests_public_answers_while_typing(live_server, browser):  # noqa: F811
    from podpora.kb.models import Deflection

    _hrplus()
    page = browser.new_context(locale="cs-CZ").new_page()
    page.goto(f"{live_server.url}/dotaz/hrplus/")
    page.fill("input[name=subject]", "Jak zadat pozadavek")
    page.wait_for_selector("#suggestions .suggestion >> text=Jak zadat požadavek do Centra podpory")
    text = page.locator("#suggestions").inner_text()
    assert "Roční zúčtování" not in text  # for logged-in customers only
    shot(page, "webform-suggestions")
    page.click("#suggestions button.helped")
    page.wait_for_selector("text=Jsme rádi, že jste odpověď našli")
    assert Deflection.objects.get().channel == "webform"


@pytest.mark.django_db(transaction=True)
def test_customer_admin_reads_the_monthly_account_and_downloads_its_pdf(live_server, browser):  # noqa: F811
    _hrplus()
    page = browser.new_context(locale="cs-CZ", accept_downloads=True).new_page()
    log_in(page, live_server.url, "hrplus-novak", "demo")
    page.click("header >> text=Přehled podpory")
    page.wait_for_selector("h1 >> text=Přehled podpory – Strojírny Morava")
    text = page.locator("main").inner_text()
    assert "Požadavky měsíce" in text and "Odpracovaný čas" in text
    options = page.locator("#month option")
    assert options.count() >= 2
    page.select_option("#month", index=1)
    page.click("#month-form button")
    page.wait_for_selector("h1 >> text=Přehled podpory")
    assert "month=" in page.url
    shot(page, "portal-monthly-account")
    with page.expect_download() as download:
        page.click("text=Stáhnout PDF")
    path = download.value.path()
    assert Path(path).read_bytes()[:5] == b"%PDF-"
    assert download.value.suggested_filename.startswith("prehled-")


@pytest.mark.django_db(transaction=True)
def test_manager_reads_the_dashboard_and_its_numbers(live_server, browser):  # noqa: F811
    from podpora.accounts.models import User

    _hrplus()
    manager = User.objects.get(username="hrplus-manager")
    manager.set_password("heslo-123")
    manager.save()
    page = browser.new_context(locale="cs-CZ", accept_downloads=True).new_page()
    log_in(page, live_server.url, "hrplus-manager")
    page.click("header >> text=Nástěnka vedoucího")
    page.wait_for_selector("h1 >> text=Nástěnka vedoucího")
    for block in ("#backlog-state", "#sla-plan", "#satisfaction", "#deflection"):
        assert page.locator(f"{block} svg").count() == 1, block
    numbers = page.locator("#backlog-state details")
    assert not numbers.locator("table").is_visible()
    numbers.locator("summary").click()
    assert numbers.locator("table").is_visible()
    assert "Stav" in numbers.locator("table").inner_text()
    assert "Staženo zákazníkem" in page.locator("#sla-plan table").text_content()
    shot(page, "desk-dashboard")
    with page.expect_download() as download:
        page.click("#backlog-state >> text=CSV")
    assert "Stav" in Path(download.value.path()).read_text(encoding="utf-8-sig")
