"""The console in a real browser: overviews and saved views, bulk work, notifications and the
queue at 390 px. Screenshots go to ``tests/screenshots/`` (``PODPORA_SCREENSHOTS`` to change)."""

import datetime as dt
import os
from pathlib import Path

import pytest

from tests.web.test_browser import ARGS, CHROMIUM, browser, log_in  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]

SHOTS = Path(os.environ.get("PODPORA_SCREENSHOTS", Path(__file__).parent.parent / "screenshots"))


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def board():
    from django.utils import timezone

    from podpora.accounts.models import User
    from podpora.tickets.models import Ticket
    from tests.conftest import build_cast, new_ticket

    cast = build_cast()
    solver = User.objects.create_user(
        "resitel",
        "r@acme.example",
        "heslo-123",
        kind="staff",
        role="agent",
        vendor=cast.vendor,
        first_name="Jana",
        last_name="Řešitelová",
    )
    now = timezone.now()
    for subject, fields in [
        ("Spadl server mezd", dict(sla_breached=True, priority=1, type="incident")),
        ("Chybný export do banky", dict(sla_breached=True, priority=3, type="bug")),
        ("Dotaz na licence", dict(first_response_due=now + dt.timedelta(hours=1), type="question")),
        ("Nová sestava", dict(first_response_due=now + dt.timedelta(days=2), type="change")),
    ]:
        t = new_ticket(cast, subject=subject)
        Ticket.objects.filter(pk=t.pk).update(**fields)
    return cast, solver


@pytest.mark.django_db(transaction=True)
def test_overviews_saved_view_and_bulk_work(live_server, browser):  # noqa: F811
    from podpora.tickets.models import Event, Ticket

    cast, solver = board()
    page = browser.new_context(locale="cs-CZ", viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, live_server.url, "agent")
    page.wait_for_selector("table.queue")
    rows = page.locator("table.queue tbody tr td:nth-child(3)")
    # breached critical first, then the other breach, then what is due soonest
    assert rows.all_inner_texts()[:3] == [
        "Spadl server mezd",
        "Chybný export do banky",
        "Dotaz na licence",
    ]
    assert page.locator("#ov-breached .count").inner_text() == "2"
    page.click("#ov-breached")
    page.wait_for_selector("h1:has-text('Porušené SLA')")
    assert page.locator("table.queue tbody tr").count() == 2
    page.click("#sort-priority")  # ascending priority: critical first
    page.click("#sort-priority")  # descending
    assert rows.first.inner_text() == "Chybný export do banky"

    # a view of bugs, saved and shared
    page.click("#ov-open")
    page.click("summary:has-text('Filtry')")
    page.select_option("#f-type", "bug")
    page.click("#f-submit")
    assert rows.all_inner_texts() == ["Chybný export do banky"]
    page.fill("#sv-name", "Chyby")
    page.check("#sv-shared")
    page.click("#sv-submit")
    page.wait_for_selector("text=Pohled „Chyby“ je uložen.")
    assert page.locator(".saved-views a", has_text="Chyby").count() == 1
    shot(page, "queue.png")

    # bulk work: two tickets to me, with a note on one that fails nothing
    page.click("#ov-open")
    page.check("#pick-AC-00003")
    page.check("#pick-AC-00004")
    page.select_option("#bulk-action", "assign")
    assert page.locator("#bulk-state").is_hidden()  # only the fields the action needs
    page.select_option("#bulk-assignee", "me")
    shot(page, "bulk.png")
    page.click("#bulk-submit")
    page.wait_for_selector("text=Hotovo u 2 požadavků.")
    assert set(Ticket.objects.filter(assignee=cast.agent).values_list("number", flat=True)) == {
        "AC-00003",
        "AC-00004",
    }
    assert Event.objects.filter(kind="assigned").count() == 2
    # a state the closed ticket cannot take is named with its reason
    Ticket.objects.filter(number="AC-00001").update(state="closed")
    page.click("#ov-open")
    page.check("#bulk-select-page")
    page.check("#bulk-all_matching")
    page.select_option("#bulk-action", "state")
    page.select_option("#bulk-state", "waiting_release")
    page.click("#bulk-submit")
    page.wait_for_selector("text=Hotovo u 3 požadavků.")
    shot(page, "bulk-done.png")


@pytest.mark.django_db(transaction=True)
def test_notifications_in_the_header_and_on_their_page(live_server, browser):  # noqa: F811
    from podpora.tickets import services
    from podpora.tickets.models import Ticket

    cast, solver = board()
    ticket = Ticket.objects.get(number="AC-00002")
    services.assign_ticket(ticket, assignee=cast.agent, actor=solver)
    services.add_note(ticket, "@agent prosím o kontrolu exportu", actor=solver)
    page = browser.new_context(locale="cs-CZ").new_page()
    log_in(page, live_server.url, "agent")
    page.wait_for_selector("#nav-notifications")
    assert page.locator("#nav-notifications .badge").inner_text() == "2"
    page.click("#nav-notifications")
    items = page.locator("ul.notifications li.unread")
    assert items.count() == 2
    assert "zmínka v poznámce" in page.locator("ul.notifications").inner_text()
    items.first.locator("a").click()
    page.wait_for_url("**/desk/tickets/AC-00002/")
    assert page.locator("#nav-notifications .badge").inner_text() == "1"
    page.click("#nav-notifications")
    page.click("#notifications-read-all")
    page.wait_for_selector("text=Označeno jako přečtené: 1.")
    assert page.locator("#nav-notifications .badge").count() == 0


@pytest.mark.django_db(transaction=True)
def test_console_at_390_px_and_focus_visible(live_server, browser):  # noqa: F811
    board()
    page = browser.new_context(locale="cs-CZ", viewport={"width": 390, "height": 844}).new_page()
    log_in(page, live_server.url, "agent")
    page.wait_for_selector("table.queue")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    # every tool of the agent's role is in the menu
    menu = page.locator("header nav").inner_text()
    for entry in ["Fronta", "Upozornění", "Karanténa pošty", "Telefonát", "Nákupy produktů"]:
        assert entry in menu, entry
    assert page.locator("td[data-label='Předmět']", has_text="Spadl server mezd").is_visible()
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    shot(page, "queue-390.png")
