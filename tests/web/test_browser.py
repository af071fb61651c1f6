"""The walking skeleton in a real browser: Debian's Chromium driven by Playwright."""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM),
        reason="Debian's chromium is not installed (make test installs it)",
    ),
]


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls below are still plain sync code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()
        # The test body ran in Playwright's greenlet, which sees its own database connection
        # (asgiref locals follow the context): close it, or it outlives the test database.
        from django.db import connections

        connections.close_all()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def log_in(page, base, username, password="heslo-123"):
    """Log in through the form; the demo's accounts have the password "demo"."""
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


@pytest.mark.django_db(transaction=True)
def test_walking_skeleton(live_server, browser, tmp_path):
    from tests.conftest import build_cast

    build_cast()
    base = live_server.url

    customer = browser.new_context(locale="cs-CZ").new_page()
    log_in(customer, base, "alena")
    customer.click("text=Nový požadavek")
    customer.fill("input[name=subject]", "Nejde tisk výplatních pásek")
    customer.select_option("select[name=type]", "incident")
    customer.select_option("select[name=product]", label="ACME ERP")
    customer.select_option("select[name=impact]", "1")
    customer.fill("textarea[name=body]", "Po aktualizaci se tisk zasekne na 50 %.")
    customer.click("#new-ticket button[type=submit]")
    customer.wait_for_selector("text=byl založen")
    number = customer.locator(".number").inner_text().strip()
    assert number == "AC-00001"
    assert "nový" in customer.locator("dd.state").inner_text()

    agent = browser.new_context(locale="cs-CZ").new_page()
    log_in(agent, base, "agent")
    agent.wait_for_selector("table.queue")
    row = agent.locator("table.queue tr", has_text="Nejde tisk výplatních pásek")
    assert row.count() == 1
    assert row.locator(".sla").count() == 1  # a countdown on the queue row
    row.locator(f"text={number}").click()
    agent.fill("#reply-form textarea[name=body]", "Dobrý den, opravu najdete ve verzi 5.0.1.")
    agent.select_option("#reply-form select[name=state]", "resolved")
    agent.click("#reply-form button[type=submit]")
    agent.wait_for_selector("text=Uloženo.")
    assert "vyřešen" in agent.locator("dd.state").inner_text()
    agent.screenshot(path=str(tmp_path / "console.png"))

    customer.goto(f"{base}/portal/tickets/{number}/")
    assert "opravu najdete ve verzi 5.0.1" in customer.content()
    assert "vyřešen" in customer.locator("dd.state").inner_text()
    customer.click("text=Potvrdit vyřešení a uzavřít")
    customer.wait_for_selector("dd.state")
    assert "uzavřen" in customer.locator("dd.state").inner_text()

    from podpora.tickets.models import Event, Ticket

    ticket = Ticket.objects.get(number=number)
    kinds = list(Event.objects.filter(ticket=ticket).values_list("kind", flat=True))
    assert kinds.count("state_changed") == 2
    assert {"created", "message_added", "sla_targets"} <= set(kinds)
    assert ticket.first_responded_at is not None and ticket.closed_at is not None


@pytest.mark.django_db(transaction=True)
def test_wrong_password_shows_czech_error(live_server, browser):
    from tests.conftest import build_cast

    build_cast()
    page = browser.new_context(locale="cs-CZ").new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "alena")
    page.fill("input[name=password]", "spatne")
    page.click("button[type=submit]")
    page.wait_for_selector(".errors")
    assert "Uživatelské jméno nebo heslo není správné." in page.locator(".errors").inner_text()


@pytest.mark.django_db(transaction=True)
def test_agent_logs_a_phone_consultation_over_the_free_minutes(live_server, browser):
    """HR Plus: calls are free within the SLA level; the rest is paid, and the card says so."""
    from django.utils import timezone

    from podpora.demo import VENDORS, load_vendor
    from podpora.tickets import services

    today = timezone.localdate()
    vendor = load_vendor(next(v for v in VENDORS if v.slug == "hrplus"), today)[0]
    from podpora.customers.models import Contact

    novak = Contact.objects.select_related("organization").get(user__username="hrplus-novak")
    ticket = services.create_ticket(
        services.NewTicket(
            vendor=vendor,
            subject="Uzávěrka mezd",
            body="Jak uzavřít měsíc?",
            channel="phone",
            type="question",
            organization=novak.organization,
            contact=novak,
            product=vendor.products.first(),
            version=vendor.products.first().versions.order_by("-released_on").first(),
        ),
        actor=None,
    )
    page = browser.new_context(locale="cs-CZ").new_page()
    log_in(page, live_server.url, "hrplus-agent", "demo")
    page.goto(f"{live_server.url}/desk/tickets/{ticket.number}/")
    card = page.locator("section.work")
    assert "zbývá 180 z 180 min" in card.inner_text()
    card.locator("input[name=minutes]").fill("200")
    card.locator("input[name=note]").fill("uzávěrka po telefonu")
    card.get_by_label("telefonická konzultace").check()
    card.locator("button").click()
    page.wait_for_selector("text=Vykázáno:")
    assert "180 min v rámci smlouvy, 20 min k fakturaci" in page.content()
    assert "vyčerpány" in page.content()
    rows = page.locator("section.work ol.work-entries li")
    assert rows.count() == 2
    assert "telefonát: uzávěrka po telefonu" in rows.nth(1).inner_text()
    assert "zbývá 0 z 180 min" in page.locator("section.work").inner_text()


@pytest.mark.django_db(transaction=True)
def test_manager_marks_the_export_as_invoiced(live_server, browser):
    """The billing export: preview, mark as invoiced under an invoice number, then undo it."""
    from django.utils import timezone

    from podpora.accounts.models import User
    from podpora.billing.models import TimeEntry
    from podpora.billing.services import log_time
    from podpora.demo import VENDORS, load_vendor
    from tests.billing.conftest import file_ticket

    today = timezone.localdate()
    vendor = load_vendor(next(v for v in VENDORS if v.slug == "hrplus"), today)[0]
    ticket = file_ticket(vendor, "hrplus-horak", channel="phone", on=today)
    log_time(ticket, User.objects.get(username="hrplus-agent"), 24 * 60, "mzdy", worked_on=today)
    billable = TimeEntry.objects.filter(mode="billable")
    assert billable.exists()

    page = browser.new_context(locale="cs-CZ").new_page()
    log_in(page, live_server.url, "hrplus-manager", "demo")
    page.goto(f"{live_server.url}/desk/billing/export/")
    page.click("#billing-export button[type=submit]")
    page.wait_for_selector("#billing-mark")
    page.fill("#billing-mark input[name=reference]", "FV-2026-118")
    page.click("#billing-mark button[type=submit]")
    page.wait_for_selector("text=Označeno jako vyfakturované (FV-2026-118)")
    assert page.locator("#billing-mark").count() == 0
    assert "FV-2026-118" in page.locator("#invoicings").inner_text()
    assert not billable.filter(invoicing=None).exists()
    page.click("#invoicings button[type=submit]")
    page.wait_for_selector("text=Označení FV-2026-118 zrušeno")
    assert not billable.exclude(invoicing=None).exists()


@pytest.mark.django_db(transaction=True)
def test_customer_downloads_a_release_the_licence_covers(live_server, browser):
    """ESTELAR: the licence covers versions up to its max version date; a newer one is locked."""
    from django.utils import timezone

    from podpora.demo import VENDORS, load_vendor

    load_vendor(next(v for v in VENDORS if v.slug == "estelar"), timezone.localdate())
    page = browser.new_context(locale="cs-CZ", accept_downloads=True).new_page()
    log_in(page, live_server.url, "estelar-bartos", "demo")
    page.click("text=Ke stažení")
    page.wait_for_selector("section.release")
    locked = page.locator("section.release.locked")
    assert locked.count() == 1 and "6.0" in locked.inner_text()
    assert "Vaše licence pokrývá verze vydané do" in locked.inner_text()
    assert locked.locator("a").count() == 0
    with page.expect_download() as info:
        page.click("text=acs-line-5.8-instalace.txt")
    download = info.value
    assert download.suggested_filename == "acs-line-5.8-instalace.txt"
    with open(download.path(), "rb") as f:
        assert f.read().decode().startswith("ACS-line 5.8: instalace")


@pytest.mark.django_db(transaction=True)
def test_customer_finds_a_guide_in_the_knowledge_base(live_server, browser):
    """Search without diacritics, open the guide; a visitor of the public form finds the FAQ."""
    from django.utils import timezone

    from podpora.demo import VENDORS, load_articles, load_vendor

    setup = next(v for v in VENDORS if v.slug == "estelar")
    vendor = load_vendor(setup, timezone.localdate())[0]
    load_articles(setup, vendor, timezone.now())

    visitor = browser.new_context(locale="cs-CZ").new_page()
    visitor.goto(f"{live_server.url}/dotaz/estelar/")
    visitor.click("text=Než se zeptáte: časté otázky a návody")
    visitor.wait_for_selector(".kb-list")
    assert [t.strip() for t in visitor.locator(".kb-item > a").all_inner_texts()] == [
        "Kde najdu licenční číslo?"
    ]

    page = browser.new_context(locale="cs-CZ").new_page()
    log_in(page, live_server.url, "estelar-kratochvil", "demo")
    page.click("text=Znalostní báze")
    page.fill("#kb-search input[name=q]", "zalohovani databaze")
    page.click("#kb-search button[type=submit]")
    page.click("text=Zálohování databáze ACS-line")
    page.wait_for_selector("article.kb-article")
    assert page.locator("article.kb-article ol li").count() == 3
    assert page.locator("article.kb-article code").inner_text() == "data"


@pytest.mark.django_db(transaction=True)
def test_agent_confirms_a_fault_and_announces_the_fix(live_server, browser):
    import datetime as dt

    from django.utils import timezone

    from podpora.catalog.models import Release
    from tests.conftest import build_cast, new_ticket

    cast = build_cast()
    ticket = new_ticket(cast, type="bug")
    Release.objects.create(
        product=cast.product,
        version=cast.version,
        published_at=timezone.now() + dt.timedelta(days=14),
    )
    agent = browser.new_context(locale="cs-CZ").new_page()
    log_in(agent, live_server.url, "agent")
    agent.goto(f"{live_server.url}/desk/tickets/{ticket.number}/")
    agent.fill("#confirm-form textarea[name=note]", "Reprodukováno na čisté databázi.")
    agent.click("#confirm-form button")
    agent.wait_for_selector("#fixed-form")
    agent.select_option("#fixed-form select[name=release]", index=1)
    agent.click("#fixed-form button")
    agent.wait_for_selector("text=Uloženo.")
    assert "čeká na vydání opravy" in agent.locator("dd.state").inner_text()

    customer = browser.new_context(locale="cs-CZ").new_page()
    log_in(customer, live_server.url, "alena")
    customer.goto(f"{live_server.url}/portal/tickets/{ticket.number}/")
    text = customer.content()
    assert "Chybu jsme ověřili testem" in text and "Oprava bude ve verzi 5.0" in text
    assert "očekáváme" in customer.locator("dd.bugfix").inner_text()


@pytest.mark.django_db(transaction=True)
def test_customers_and_staff_talk_in_the_users_forum(live_server, browser):
    from django.utils import timezone

    from podpora.demo import VENDORS, load_vendor

    load_vendor(next(v for v in VENDORS if v.slug == "intouch"), timezone.localdate())

    def logged_in(username):
        page = browser.new_context(locale="cs-CZ").new_page()
        log_in(page, live_server.url, username, "demo")
        return page

    customer = logged_in("intouch-cerna")
    customer.click("text=Fórum")
    customer.click("text=Nové téma")
    customer.fill("#topic-form input[name=title]", "Export kontaktů do Excelu")
    customer.fill("#topic-form textarea[name=body]", "Jak vyexportovat kontakty i s poznámkami?")
    customer.click("#topic-form button[type=submit]")
    customer.wait_for_selector("ol.forum-posts")
    url = customer.url

    agent = logged_in("intouch-agent")
    agent.goto(url)
    agent.fill(
        "#post-form textarea[name=body]", "V seznamu kontaktů zvolte Export a zaškrtněte Poznámky."
    )
    agent.click("#post-form button[type=submit]")
    agent.wait_for_selector("li.post.staff")
    agent.click("#moderate-form button[value='locked:on']")
    agent.wait_for_selector("text=Uloženo.")

    customer.reload()
    assert customer.locator("li.post").count() == 2
    assert "podpora" in customer.locator("li.post.staff").inner_text()
    assert customer.locator("#post-form").count() == 0  # locked


@pytest.mark.django_db(transaction=True)
def test_manager_reads_the_sla_report(live_server, browser):
    from django.utils import timezone

    from tests.conftest import build_cast, new_ticket

    cast = build_cast()
    cast.agent.role = "manager"
    cast.agent.save()
    for impact in (1, 2, 3):
        new_ticket(cast, impact=impact, urgency=impact)
    page = browser.new_context(locale="cs-CZ").new_page()
    log_in(page, live_server.url, "agent")
    page.click("text=Přehledy")
    page.wait_for_selector("#sla-report")
    today = timezone.localdate()
    page.fill("#report-form input[name=date_from]", today.replace(day=1).isoformat())
    page.fill("#report-form input[name=date_to]", today.isoformat())
    page.click("#report-form button.primary")
    page.wait_for_selector("#sla-report tfoot")
    assert page.locator("#sla-report tbody tr").count() == 3
    assert page.locator("#sla-report tfoot th").nth(1).inner_text() == "3"
    assert page.locator("svg.chart rect.bar-new").count() == today.day


@pytest.mark.django_db(transaction=True)
def test_customer_admin_adds_and_deactivates_a_person(live_server, browser):
    from podpora.customers.models import Contact
    from tests.conftest import build_cast

    cast = build_cast()
    cast.contact_a.role = "customer_admin"
    cast.contact_a.save()
    page = browser.new_context(locale="cs-CZ").new_page()
    log_in(page, live_server.url, "alena")
    page.click("text=Lidé")
    page.fill("#person-form input[name=first_name]", "Jiří")
    page.fill("#person-form input[name=last_name]", "Nový")
    page.fill("#person-form input[name=email]", "jiri.novy@alfa.example")
    page.click("#person-form button[type=submit]")
    page.wait_for_selector("text=pozvánku jsme poslali na jiri.novy@alfa.example")
    assert "pozvána" in page.locator("tr.person", has_text="Jiří Nový").inner_text()
    page.click("text=Adam Král")
    page.uncheck("#change-person-form input[name=is_active]")
    page.click("#change-person-form button[type=submit]")
    page.wait_for_selector("text=Uloženo.")
    assert "deaktivována" in page.locator("tr.person", has_text="Adam Král").inner_text()
    assert not Contact.objects.get(pk=cast.contact_a2.pk).user.is_active


@pytest.mark.django_db(transaction=True)
def test_staff_member_turns_on_two_step_log_in(live_server, browser):
    import base64

    from django_otp.oath import TOTP

    from tests.conftest import build_cast

    build_cast()
    page = browser.new_context(locale="cs-CZ").new_page()
    log_in(page, live_server.url, "agent")
    page.click("header .who")
    page.wait_for_selector(".qr svg")
    secret = page.locator("#totp-secret").inner_text().strip()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.fill("#two-factor-setup input[name=code]", f"{TOTP(key).token():06d}")
    page.click("#two-factor-setup button[type=submit]")
    page.wait_for_selector("text=Dvoufázové přihlášení je zapnuté.")

    again = browser.new_context(locale="cs-CZ").new_page()
    log_in(again, live_server.url, "agent")
    again.wait_for_selector("#two-factor-verify")
    assert "/accounts/2fa/" in again.url
