"""Harmonik: "a new product purchase brings the paid remote access free for the following
calendar year" -- recorded by staff from the console's menu, not only by the demo loader."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from podpora.billing.models import ProductPurchase, Subscription
from podpora.billing.subscriptions import record_purchase

from .conftest import TODAY, file_ticket, judge, staff


def test_purchase_grants_remote_access_next_year_and_opens_the_channel(seed):
    vendor = seed("harmonik")
    org = vendor.organizations.get(name="Účetnictví Jelínek s.r.o.")
    purchase = record_purchase(org, vendor.products.first(), dt.date(2026, 3, 2))
    sub = purchase.subscription
    assert (sub.year, sub.price, sub.service.code) == (2027, Decimal(0), "vzdaleny-pristup-pc")
    assert "2. 3. 2026" in sub.free_reason
    ticket = file_ticket(vendor, "harmonik-jelinek", channel="email", on=dt.date(2027, 2, 1))
    assert judge(ticket, "remote", dt.date(2027, 2, 1)).status == "covered"


def test_purchase_of_a_foreign_product_is_refused_and_stores_nothing(seed):
    harmonik, hrplus = seed("harmonik"), seed("hrplus")
    org = harmonik.organizations.first()
    with pytest.raises(ValidationError):
        record_purchase(org, hrplus.products.first(), TODAY)
    assert not ProductPurchase.objects.exists() and not Subscription.objects.exists()


def test_vendor_without_remote_access_records_the_purchase_only(seed):
    vendor = seed("hrplus")
    purchase = record_purchase(vendor.organizations.first(), vendor.products.first(), TODAY)
    assert purchase.subscription is None


def test_staff_records_a_purchase_from_the_menu(client, seed):
    vendor = seed("harmonik")
    client.force_login(staff("harmonik-agent"))
    menu = client.get("/desk/").content.decode()
    assert "/desk/billing/purchases/" in menu
    org = vendor.organizations.get(name="Stavebniny Kolín a.s.")
    r = client.post(
        "/desk/billing/purchases/",
        {
            "organization": org.pk,
            "product": vendor.products.first().pk,
            "purchased_on": "2026-05-04",
        },
    )
    assert r.status_code == 302
    page = client.get("/desk/billing/purchases/").content.decode()
    assert "Stavebniny Kolín a.s." in page and "4. 5. 2026" in page
    assert Subscription.objects.get(organization=org).year == 2027


def test_bad_date_is_a_form_error_not_a_500(client, seed):
    vendor = seed("harmonik")
    client.force_login(staff("harmonik-agent"))
    r = client.post(
        "/desk/billing/purchases/",
        {"organization": vendor.organizations.first().pk, "product": "x", "purchased_on": "zítra"},
    )
    assert r.status_code == 200 and not ProductPurchase.objects.exists()
