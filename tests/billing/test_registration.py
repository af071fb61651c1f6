"""ESTELAR's first registration with the licence card's one-time code, and the licence page."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.utils import timezone

from podpora.accounts.models import User
from podpora.customers.models import Contact, Licence

URL = "/portal/register/"
WRONG = "Licenční číslo nebo kód z kartičky nejsou správné."


@pytest.fixture
def card(seed):
    """A new customer's licence whose card has not been used; dates count from today."""
    from podpora.catalog.models import Product
    from podpora.customers.models import Organization

    today = timezone.localdate()
    vendor = seed("estelar", today)
    org = Organization.objects.create(vendor=vendor, name="Truhlářství Testovací s.r.o.")
    Licence.objects.create(
        vendor=vendor,
        organization=org,
        product=Product.objects.get(vendor=vendor),
        number="ACS-2026-0999",
        activated_on=today - dt.timedelta(days=10),
        max_version_date=today + dt.timedelta(days=170),
        activation_code_hash=hashlib.sha256(b"7K2M-93QX-PL4D").hexdigest(),
    )
    return org


def form(**changes):
    data = {
        "licence_number": "ACS-2026-0999",
        "code": "7K2M-93QX-PL4D",
        "first_name": "Alois",
        "last_name": "Truhlář",
        "email": "Alois@Truhlarstvi.example",
        "password": "smrk-a-buk-2026",
        "password2": "smrk-a-buk-2026",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "changes", [{"code": "7K2M-93QX-PL4E"}, {"licence_number": "ACS-2026-0201"}, {"code": ""}]
)
def test_wrong_number_or_code_is_refused_without_saying_which(client, card, changes):
    r = client.post(URL, form(**changes))
    page = r.content.decode()
    assert r.status_code == 200
    if changes.get("code") != "":
        assert WRONG in page
    assert not User.objects.filter(kind="customer", email__icontains="truhlarstvi").exists()
    assert Licence.objects.get(number="ACS-2026-0999").activation_code_used_at is None
    assert "_auth_user_id" not in client.session


def test_first_registration_creates_the_authorised_contact_and_logs_in(client, card):
    r = client.post(URL, form())
    assert r.status_code == 302 and r["Location"] == "/portal/licences/"
    user = User.objects.get(username="alois@truhlarstvi.example")
    assert user.kind == "customer" and user.check_password("smrk-a-buk-2026")
    contact = Contact.objects.get(user=user)
    assert contact.organization == card and contact.role == "authorised"
    assert Licence.objects.get(number="ACS-2026-0999").activation_code_used_at is not None
    assert int(client.session["_auth_user_id"]) == user.pk

    page = client.get("/portal/licences/").content.decode()
    end = timezone.localdate() + dt.timedelta(days=170)
    assert "ACS-2026-0999" in page and "HOTLINE START" in page
    assert f"{end.day}. {end.month}. {end.year}" in page  # START ends on the max version date


def test_the_code_works_once(client, card):
    client.post(URL, form())
    client.logout()
    r = client.post(URL, form(email="kolega@truhlarstvi.example"))
    assert "Kód z této kartičky už byl použit." in r.content.decode()
    assert User.objects.filter(kind="customer", email__icontains="truhlarstvi").count() == 1


def test_password_rules_and_existing_account(client, card):
    r = client.post(URL, form(password="123", password2="123"))
    assert "Heslo je příliš krátké" in r.content.decode() or "too short" in r.content.decode()
    r = client.post(URL, form(password2="jine-heslo-2026"))
    assert "Hesla se neshodují." in r.content.decode()
    r = client.post(URL, form(email="estelar-kratochvil@zakaznik.example"))
    assert "Účet s tímto e-mailem už existuje" in r.content.decode()
    assert Licence.objects.get(number="ACS-2026-0999").activation_code_used_at is None


def test_attempts_are_limited_per_licence(client, card):
    for _ in range(5):
        client.post(URL, form(code="spatny-kod"))
    r = client.post(URL, form())  # the right code, too late
    assert "Příliš mnoho pokusů" in r.content.decode()
    assert Licence.objects.get(number="ACS-2026-0999").activation_code_used_at is None


def test_licence_page_shows_start_over_and_warranty(client, seed):
    seed("estelar", timezone.localdate())
    client.force_login(User.objects.get(username="estelar-bartos"))
    page = client.get("/portal/licences/").content.decode()
    assert "ACS-2025-0031" in page and "skončil" in page and "Záruční servis" in page
    assert "ACS-2026-0147" not in page  # another organisation's licence


def test_a_licence_created_by_staff_gets_a_card_whose_code_registers_in_any_case(
    client, seed, admin
):
    """A licence entered in the administration gets a one-time code, shown on a printable
    card; the customer types it in lower case, and it works once."""
    import re

    from podpora.customers.models import Licence, Organization

    vendor = seed("estelar")
    org = Organization.objects.get(vendor=vendor, name="Obec Rusava")
    client.force_login(admin)
    r = client.post(
        "/admin/customers/licence/add/",
        {
            "vendor": vendor.pk,
            "organization": org.pk,
            "product": vendor.products.first().pk,
            "number": "ACS-2026-0999",
            "activated_on": "2026-03-01",
        },
    )
    assert r.status_code == 200, r.content.decode()[:2000]
    page = r.content.decode()
    assert "ACS-2026-0999" in page and "/portal/register/" in page
    [code] = re.findall(r'class="activation-code"><strong>([A-Z0-9-]+)</strong>', page)
    licence = Licence.objects.get(number="ACS-2026-0999")
    assert licence.activation_code_hash and code not in licence.activation_code_hash

    # issuing a new card replaces the code
    r = client.post(
        "/admin/customers/licence/",
        {"action": "issue_cards", "_selected_action": [licence.pk]},
    )
    [new_code] = re.findall(
        r'class="activation-code"><strong>([A-Z0-9-]+)</strong>', r.content.decode()
    )
    assert new_code != code
    client.logout()
    from django.core.cache import cache

    cache.clear()
    form = {
        "licence_number": "acs-2026-0999",
        "first_name": "Jana",
        "last_name": "Nová",
        "email": "jana.nova@rusava.example",
        "password": "Velmi-dlouhe-heslo-42",
        "password2": "Velmi-dlouhe-heslo-42",
    }
    r = client.post("/portal/register/", {**form, "code": code.lower()})
    assert "nejsou správné" in r.content.decode()  # the old card no longer works
    r = client.post("/portal/register/", {**form, "code": f" {new_code.lower()} "})
    assert r.status_code == 302
    licence.refresh_from_db()
    assert licence.activation_code_used_at is not None
