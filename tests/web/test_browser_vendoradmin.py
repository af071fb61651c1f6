"""A vendor's manager configures their SLA in the vendor's administration, in Chromium."""

import pytest

from tests.web.test_browser import browser, log_in, pytestmark  # noqa: F401


@pytest.mark.django_db(transaction=True)
def test_manager_edits_an_sla_target_and_sees_the_preview_and_the_record(
    live_server,
    browser,  # noqa: F811
):
    from tests.conftest import build_cast
    from tests.vendoradmin.conftest import make_config

    cast = build_cast()
    a = make_config(cast.vendor, "a")
    make_config(cast.other_vendor, "b")
    page = browser.new_context(locale="cs-CZ").new_page()
    log_in(page, live_server.url, "manager-a")
    page.click("header nav >> text=Nastavení")
    page.wait_for_selector("text=Nastavení dodavatele")
    assert "SLA b" not in page.content()
    page.click("a[href='/sprava/sla/slapolicy/']")
    page.click("text=SLA a")
    preview = page.locator("table.sla-preview")
    assert "všechny" in preview.inner_text()
    page.fill("input[name='targets-0-first_response']", "4 hodiny")
    page.click("input[name=_continue]")
    page.wait_for_selector("text=není cíl SLA")
    page.fill("input[name='targets-0-first_response']", "4h")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")
    assert "4h" in page.locator("input[name='targets-0-first_response']").input_value()
    page.click("text=jiný okamžik přijetí")
    page.fill("input[name=start]", "2026-12-04T15:00")
    page.click("#sla-preview-form button")
    page.wait_for_selector("text=Přijat 4. 12. 2026 15:00")
    # 1 h 30 min on Friday, 2 h 30 min on Monday from 8:00
    assert "7. 12. 2026 10:30" in page.locator("table.sla-preview").inner_text()
    page.goto(f"{live_server.url}/sprava/sla/slapolicy/{a.policy.pk}/change/")
    page.click("a.historylink")
    record = page.locator("section.change-record").first.inner_text()
    assert "cíle SLA" in record and "2h" in record and "4h" in record
    assert "Marie Vedoucí a" in record


@pytest.mark.django_db(transaction=True)
def test_manager_sets_the_week_and_the_public_forms_texts_and_a_visitor_reads_them(
    live_server,
    browser,  # noqa: F811
):
    from podpora.customers.models import ChannelInfo
    from tests.conftest import build_cast
    from tests.vendoradmin.conftest import make_config

    cast = build_cast()
    a = make_config(cast.vendor, "a")
    ChannelInfo.objects.filter(pk=a.channel.pk).update(calendar=a.calendar)
    page = browser.new_context(locale="cs-CZ").new_page()
    log_in(page, live_server.url, "manager-a")
    page.click("header nav >> text=Nastavení")
    page.click("a[href='/sprava/sla/businesscalendar/']")
    page.click("text=Kalendář a")
    page.fill("input[name=day_fri]", "8:00–12:00, 11:00–14:00")
    page.click("input[name=_continue]")
    page.wait_for_selector("text=se překrývá s jinou")
    page.fill("input[name=day_fri]", "8.00-14.00")
    page.fill("input[name=day_sat]", "9-12")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")
    assert page.locator("input[name=day_fri]").input_value() == "8:00–14:00"

    page.goto(f"{live_server.url}/sprava/customers/vendor/{cast.vendor.pk}/change/")
    page.fill("textarea[name='public_form-0-intro']", "Ptejte se na cokoli k ACME ERP.")
    page.fill("input[name='public_form-0-thanks']", "Obvykle odpovídáme do hodiny.")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")

    visitor = browser.new_context(locale="cs-CZ").new_page()
    visitor.goto(f"{live_server.url}/dotaz/{cast.vendor.slug}/")
    assert "Ptejte se na cokoli k ACME ERP." in visitor.inner_text("main")
    assert "pá 8:00–14:00" in visitor.inner_text("main")  # the phone's hours, from the week
    visitor.fill("input[name=name]", "Jana Malá")
    visitor.fill("input[name=email]", "jana@firma.example")
    visitor.fill("input[name=subject]", "Cena licence")
    visitor.fill("textarea[name=body]", "Kolik stojí licence pro 50 uživatelů?")
    visitor.click("button.primary")
    visitor.wait_for_selector("text=Obvykle odpovídáme do hodiny.")
