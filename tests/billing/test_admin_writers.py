"""The Django admin writes through the services, or not at all: a ticket is never deleted
(with it its history), time entries are read-only, packages, subscriptions and people change
through their services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from podpora.billing import services as billing
from podpora.billing.models import Subscription, TimeEntry
from podpora.catalog.models import Service
from podpora.customers.models import Contact, PrepaidPackage
from podpora.tickets.models import Event, Ticket
from tests.conftest import new_ticket


@pytest.fixture
def staff_admin(client, cast):
    from podpora.accounts.models import User

    User.objects.create_superuser("root", "root@acme.example", "heslo-123")
    client.login(username="root", password="heslo-123")
    return client


def test_the_admin_cannot_delete_a_ticket(staff_admin, cast):
    ticket = new_ticket(cast)
    page = staff_admin.get(f"/admin/tickets/ticket/{ticket.pk}/delete/")
    assert page.status_code == 403
    staff_admin.post(f"/admin/tickets/ticket/{ticket.pk}/delete/", {"post": "yes"})
    listing = staff_admin.post(
        "/admin/tickets/ticket/",
        {"action": "delete_selected", "_selected_action": [ticket.pk], "post": "yes"},
    )
    assert listing.status_code in (200, 302)
    assert Ticket.objects.filter(pk=ticket.pk).exists()
    assert Event.objects.filter(ticket=ticket).exists()


def test_time_entries_are_read_only_in_the_admin(staff_admin, cast):
    ticket = new_ticket(cast)
    [entry] = billing.log_time(ticket, cast.agent, 30, "Analýza").entries
    assert staff_admin.get(f"/admin/billing/timeentry/{entry.pk}/change/").status_code == 200
    posted = staff_admin.post(
        f"/admin/billing/timeentry/{entry.pk}/change/", {"minutes": 1, "mode": "billable"}
    )
    assert posted.status_code == 403
    assert staff_admin.get("/admin/billing/timeentry/add/").status_code == 403
    assert staff_admin.get(f"/admin/billing/timeentry/{entry.pk}/delete/").status_code == 403
    entry.refresh_from_db()
    assert (entry.minutes, entry.mode) == (30, "covered")


def package_form(org, **overrides):
    data = {
        "organization": org.pk,
        "name": "Balík konzultací 10 h",
        "minutes": 600,
        "valid_from": "1. 1. 2026",
        "valid_to": "",
        "low_balance_minutes": 60,
    }
    data.update(overrides)
    return data


def test_a_package_is_sold_and_changed_through_its_service(staff_admin, cast):
    bad = staff_admin.post(
        "/admin/customers/prepaidpackage/add/",
        package_form(cast.org_a, minutes=0, valid_from="2026-06-01", valid_to="2026-01-01"),
    )
    assert bad.status_code == 200  # the form again, with the reasons
    text = bad.content.decode()
    assert "Zadejte počet minut větší než nula." in text
    assert not PrepaidPackage.objects.exists()

    added = staff_admin.post(
        "/admin/customers/prepaidpackage/add/", package_form(cast.org_a, valid_from="2026-01-01")
    )
    assert added.status_code == 302, added.content.decode()[:2000]
    package = PrepaidPackage.objects.get()
    TimeEntry.objects.create(
        ticket=new_ticket(cast),
        user=cast.agent,
        minutes=120,
        mode="prepaid",
        package=package,
        worked_on=dt.date(2026, 3, 2),
    )
    fewer = staff_admin.post(
        f"/admin/customers/prepaidpackage/{package.pk}/change/",
        package_form(cast.org_a, minutes=60, valid_from="2026-01-01"),
    )
    assert fewer.status_code == 200
    assert "Z balíku už bylo čerpáno 120 minut" in fewer.content.decode()
    package.refresh_from_db()
    assert package.minutes == 600
    more = staff_admin.post(
        f"/admin/customers/prepaidpackage/{package.pk}/change/",
        package_form(cast.org_a, minutes=900, valid_from="2026-01-01"),
    )
    assert more.status_code == 302
    package.refresh_from_db()
    assert package.minutes == 900
    delete = staff_admin.get(f"/admin/customers/prepaidpackage/{package.pk}/delete/")
    assert delete.status_code == 403


def test_a_subscription_is_added_through_subscribe_and_not_edited(staff_admin, cast):
    service = Service.objects.create(
        vendor=cast.vendor, code="vzdaleny", name="Vzdálený přístup", price=Decimal("3000")
    )
    form = {
        "organization": cast.org_a.pk,
        "service": service.pk,
        "year": 2027,
        "quantity": 2,
        "price": "",
        "free_reason": "",
    }
    assert staff_admin.post("/admin/billing/subscription/add/", form).status_code == 302
    sub = Subscription.objects.get()
    assert sub.price == Decimal("6000.00")  # the price list's, times the quantity
    again = staff_admin.post("/admin/billing/subscription/add/", form)
    assert again.status_code == 200
    assert "Organizace už má tuto službu na rok 2027." in again.content.decode()
    assert Subscription.objects.count() == 1
    edit = staff_admin.post(f"/admin/billing/subscription/{sub.pk}/change/", {**form, "price": 1})
    assert edit.status_code == 403
    sub.refresh_from_db()
    assert sub.price == Decimal("6000.00")


def test_people_are_read_only_and_deactivated_with_their_account(staff_admin, cast):
    contact = cast.contact_a2
    edit = staff_admin.post(
        f"/admin/customers/contact/{contact.pk}/change/",
        {"first_name": "X", "last_name": "Y", "role": "customer_admin"},
    )
    assert edit.status_code == 403
    staff_admin.post(
        "/admin/customers/contact/",
        {"action": "deactivate", "_selected_action": [contact.pk]},
    )
    contact = Contact.objects.select_related("user").get(pk=contact.pk)
    assert not contact.is_active and not contact.user.is_active
    assert contact.role == "authorised"
    staff_admin.post(
        "/admin/customers/contact/", {"action": "activate", "_selected_action": [contact.pk]}
    )
    contact = Contact.objects.select_related("user").get(pk=contact.pk)
    assert contact.is_active and contact.user.is_active
