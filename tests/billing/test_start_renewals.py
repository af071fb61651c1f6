"""Before HOTLINE START ends: one offer to the customer, one proforma request to sales."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from podpora.customers.jobs import offer_start_renewals
from podpora.customers.models import Contract, Licence, Plan

from .conftest import TODAY, staff

END = TODAY + dt.timedelta(days=140)  # Obec Rusava's START (ACS-2026-0147)


@pytest.fixture
def estelar(seed):
    vendor = seed("estelar")
    billing = staff("estelar-manager")
    billing.role = "billing"
    billing.email = "obchod@estelar.example"
    billing.save()
    return vendor


def test_nothing_before_the_last_thirty_days(estelar, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert offer_start_renewals(END - dt.timedelta(days=31)) == []
    assert mail.outbox == []


def test_offer_once_to_the_customer_and_to_sales(estelar, django_capture_on_commit_callbacks):
    day = END - dt.timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        assert offer_start_renewals(day) == ["ACS-2026-0147"]
    with django_capture_on_commit_callbacks(execute=True):
        assert offer_start_renewals(day) == []
        assert offer_start_renewals(day + dt.timedelta(days=10)) == []
    assert len(mail.outbox) == 2
    customer, sales = mail.outbox
    assert customer.to == ["estelar-kratochvil@zakaznik.example"]
    assert "ACS-2026-0147" in customer.subject
    assert "Dobrý den, pane Kratochvíle" in customer.body
    for plan in ("HOTLINE", "HOTLINE+", "HOTLINE speciál"):
        assert f"- {plan}: " in customer.body  # with its price from the price list
    assert f"{END.day}. {END.month}. {END.year}" in customer.body
    assert sales.to == ["obchod@estelar.example"] and "Zálohová faktura" in sales.subject
    assert "Obec Rusava" in sales.body
    assert Licence.objects.get(number="ACS-2026-0147").renewal_offered_at is not None


def test_managers_hear_of_it_when_nobody_does_billing(seed, django_capture_on_commit_callbacks):
    seed("estelar")
    with django_capture_on_commit_callbacks(execute=True):
        offer_start_renewals(END)
    assert [m.to for m in mail.outbox] == [
        ["estelar-kratochvil@zakaznik.example"],
        ["manager@estelar.example"],
    ]


def test_mail_in_the_recipients_language(estelar, django_capture_on_commit_callbacks):
    from podpora.customers.models import Contact

    Contact.objects.filter(user__username="estelar-kratochvil").update(language="sk")
    with django_capture_on_commit_callbacks(execute=True):
        offer_start_renewals(END)
    assert "Dobrý deň, pán Kratochvíl" in mail.outbox[0].body


def test_no_offer_when_hotline_is_already_paid(estelar, django_capture_on_commit_callbacks):
    licence = Licence.objects.get(number="ACS-2026-0147")
    Contract.objects.create(
        organization=licence.organization,
        plan=Plan.objects.get(vendor=estelar, code="hotline"),
        valid_from=END + dt.timedelta(days=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert offer_start_renewals(END - dt.timedelta(days=5)) == []
    assert mail.outbox == []


def test_the_job_is_registered():
    from podpora.core import schedule
    from podpora.customers import jobs

    assert ("start-renewals", jobs.start_renewals) in schedule.JOBS
