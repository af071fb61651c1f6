"""Harmonik's yearly services: subscribe, the free year after a purchase, renewals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from podpora.billing.models import Subscription
from podpora.billing.subscriptions import (
    grant_purchase_bonus,
    prepare_renewals,
    subscribe,
    subscription_contract_facts,
)
from podpora.catalog.models import Service
from podpora.customers.models import Organization

from .conftest import TODAY


@pytest.fixture
def harmonik(seed):
    vendor = seed("harmonik")
    orgs = {o.name: o for o in Organization.objects.filter(vendor=vendor)}
    services = {s.code: s for s in vendor.services.all()}
    return vendor, orgs["Účetnictví Jelínek s.r.o."], orgs["Stavebniny Kolín a.s."], services


def test_subscribe_at_the_price_list(harmonik):
    _v, jelinek, _k, services = harmonik
    sub = subscribe(jelinek, services["vzdaleny-pristup-pc"], 2026, quantity=2)
    assert (sub.price, sub.free_reason) == (Decimal("6000.00"), "")
    with pytest.raises(ValidationError):
        subscribe(jelinek, services["vzdaleny-pristup-pc"], 2026)
    assert Subscription.objects.count() == 1


def test_subscribe_refuses_foreign_and_hourly_services(harmonik, seed):
    _v, jelinek, _k, _s = harmonik
    hrplus = seed("hrplus")
    with pytest.raises(ValidationError) as err:
        subscribe(jelinek, hrplus.services.get(code="konzultace"), 2026)
    assert set(err.value.message_dict) == {"service"} and len(err.value.messages) == 2
    assert not Subscription.objects.exists()


def test_purchase_bonus_is_the_next_calendar_year_free_and_idempotent(harmonik):
    _v, _j, kolin, services = harmonik
    sub = grant_purchase_bonus(kolin, dt.date(2026, 11, 20))
    assert (sub.service.code, sub.year, sub.price) == ("vzdaleny-pristup-pc", 2027, 0)
    assert "20. 11. 2026" in sub.free_reason and "2027" in sub.free_reason
    assert grant_purchase_bonus(kolin, dt.date(2026, 12, 1)).pk == sub.pk
    assert Subscription.objects.count() == 1


def test_purchase_bonus_makes_a_paid_next_year_free(harmonik):
    _v, jelinek, _k, services = harmonik
    paid = subscribe(jelinek, services["vzdaleny-pristup-pc"], 2027)
    bonus = grant_purchase_bonus(jelinek, dt.date(2026, 6, 1))
    paid.refresh_from_db()
    assert bonus.pk == paid.pk and paid.price == 0 and paid.free_reason


def test_renewals_at_the_current_price_once(harmonik):
    _v, jelinek, kolin, services = harmonik
    subscribe(jelinek, services["vzdaleny-pristup-pc"], 2026)
    subscribe(jelinek, services["email"], 2026)
    bonus = grant_purchase_bonus(kolin, dt.date(2025, 3, 1))  # free in 2026
    former = Organization.objects.create(vendor=jelinek.vendor, name="Bývalý", stage="former")
    subscribe(former, services["sprava-serveru"], 2026)
    services["vzdaleny-pristup-pc"].price = Decimal("3300")
    services["vzdaleny-pristup-pc"].save()

    done = prepare_renewals(2026)
    got = sorted((s.organization.name, s.service.code, s.price) for s in done.created)
    assert got == [
        ("Účetnictví Jelínek s.r.o.", "email", Decimal("0.00")),
        ("Účetnictví Jelínek s.r.o.", "vzdaleny-pristup-pc", Decimal("3300")),
    ]
    assert [s.pk for s in done.bonuses_ending] == [bonus.pk]
    again = prepare_renewals(2026)
    assert again.created == [] and Subscription.objects.filter(year=2027).count() == 2


def test_subscription_opens_its_channels_for_that_year_only(harmonik):
    _v, jelinek, _k, services = harmonik
    assert subscription_contract_facts(jelinek, TODAY) == []
    subscribe(jelinek, services["vzdaleny-pristup-ip"], TODAY.year)
    facts = subscription_contract_facts(jelinek, TODAY)
    assert len(facts) == 1
    fact = facts[0]
    assert "remote" in fact.plan.channels and "remote" not in fact.plan.billable_channels
    assert fact.id == jelinek.contracts.get().pk
    assert fact.valid_from >= dt.date(TODAY.year, 1, 1)
    assert fact.valid_to == dt.date(TODAY.year, 12, 31)
    assert subscription_contract_facts(jelinek, dt.date(TODAY.year + 1, 1, 1)) == []


def test_a_service_changed_later_changes_what_its_subscription_opens(harmonik):
    """The subscriptions are cached per process; a change to their service counts too."""
    _v, jelinek, _k, services = harmonik
    subscribe(jelinek, services["vzdaleny-pristup-ip"], TODAY.year)
    assert len(subscription_contract_facts(jelinek, TODAY)) == 1
    Service.objects.filter(pk=services["vzdaleny-pristup-ip"].pk).update(opens_channels=[])
    assert subscription_contract_facts(jelinek, TODAY) == []


def test_subscription_without_a_contract_opens_only_its_channels(harmonik):
    vendor, _j, _k, services = harmonik
    org = Organization.objects.create(vendor=vendor, name="Nový zákazník s.r.o.")
    grant_purchase_bonus(org, dt.date(TODAY.year - 1, 12, 1))
    [fact] = subscription_contract_facts(org, TODAY)
    assert fact.id is None and fact.plan.channels == frozenset({"remote"})


def test_year_end_job_runs_in_december_only(harmonik, monkeypatch):
    from django.utils import timezone

    from podpora.billing import jobs

    _v, jelinek, _k, services = harmonik
    subscribe(jelinek, services["vzdaleny-pristup-pc"], 2026)
    monkeypatch.setattr(timezone, "localdate", lambda *a: dt.date(2026, 11, 30))
    assert jobs.subscription_renewals() == "not December"
    monkeypatch.setattr(timezone, "localdate", lambda *a: dt.date(2026, 12, 1))
    assert jobs.subscription_renewals().startswith("1 prepared")
    assert jobs.subscription_renewals().startswith("0 prepared")
