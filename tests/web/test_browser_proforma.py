"""ESTELAR, START's end in a real browser: billing staff open the proformas from their menu and
mark one paid; the plan paid for becomes the customer's contract."""

import datetime as dt

import pytest

from tests.web.test_browser import browser, log_in, pytestmark  # noqa: F401


@pytest.mark.django_db(transaction=True)
def test_billing_marks_the_start_proforma_paid_and_the_plan_is_active(live_server, browser):  # noqa: F811
    from django.utils import timezone

    from podpora.accounts.models import User
    from podpora.billing.models import Proforma
    from podpora.customers.jobs import offer_start_renewals
    from podpora.customers.models import Contract
    from podpora.demo import VENDORS, load_vendor

    today = timezone.localdate()
    load_vendor(next(v for v in VENDORS if v.slug == "estelar"), today)
    User.objects.filter(username="estelar-manager").update(role="billing")
    # Obec Rusava's START ends 140 days after the demo's day: the offer goes 30 days before
    assert offer_start_renewals(today + dt.timedelta(days=110)) == ["ACS-2026-0147"]
    proforma = Proforma.objects.get()

    page = browser.new_context(locale="cs-CZ").new_page()
    log_in(page, live_server.url, "estelar-manager", "demo")
    page.click("nav >> text=Zálohové faktury")
    row = page.locator(f"#proforma-{proforma.pk}")
    assert proforma.number in row.inner_text() and "Obec Rusava" in row.inner_text()
    assert "HOTLINE+" in row.inner_text()
    row.locator("select").select_option("hotline-plus")
    row.locator("button[type=submit]").click()
    page.wait_for_selector("text=je uhrazena")
    assert "uhrazena" in page.locator(f"#proforma-{proforma.pk}").inner_text()

    proforma.refresh_from_db()
    contract = Contract.objects.get(pk=proforma.contract_id)
    assert contract.plan.code == "hotline-plus" and contract.organization.name == "Obec Rusava"
    assert contract.valid_from == proforma.start_ends_on + dt.timedelta(days=1)
