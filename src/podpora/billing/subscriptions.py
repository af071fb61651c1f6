"""Yearly services (Harmonik's price list): subscriptions per calendar year and what they open.

- An organisation subscribes to a service priced per calendar year.
- Buying a new product brings the paid "remote access" free for the following calendar year.
- At the year's end the next year's subscriptions are prepared at the current prices.
- A subscription to a service that opens channels (remote access) opens them for the
  organisation's entitlement: ``subscription_contract_facts`` gives the entitlement rules the
  organisation's contracts with those channels added, for that calendar year.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from podpora.catalog.models import Service
from podpora.core import configcache
from podpora.core.days import day
from podpora.customers import entitlements as ent

from .models import Subscription

#: The channel Harmonik's bonus opens: remote access to the customer's computer.
REMOTE = "remote"


def validate_subscription(organization, service: Service, year: int, quantity: int) -> None:
    """Every problem at once, by field (the admin's form shows them before anything is saved)."""
    errors: dict[str, list[str]] = {}
    if Subscription.objects.filter(organization=organization, service=service, year=year).exists():
        errors["service"] = [_("Organizace už má tuto službu na rok %(year)s.") % {"year": year}]
    if service.vendor_id != organization.vendor_id:
        errors.setdefault("service", []).append(_("Služba patří jinému dodavateli než organizace."))
    if service.unit != Service.Unit.YEAR:
        errors.setdefault("service", []).append(
            _("Předplatit lze jen službu účtovanou za kalendářní rok.")
        )
    if not 2000 <= year <= 2100:
        errors["year"] = [_("Neplatný kalendářní rok.")]
    if quantity < 1:
        errors["quantity"] = [_("Počet musí být alespoň 1.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def subscribe(
    organization,
    service: Service,
    year: int,
    *,
    quantity: int = 1,
    price: Decimal | None = None,
    free_reason: str = "",
) -> Subscription:
    """Subscribe for one calendar year at the current price (times quantity) unless given."""
    validate_subscription(organization, service, year, quantity)
    if price is None:
        price = Decimal(0) if free_reason else service.price * quantity
    try:
        with transaction.atomic():
            return Subscription.objects.create(
                organization=organization,
                service=service,
                year=year,
                quantity=quantity,
                price=price,
                free_reason=free_reason[:200],
            )
    except IntegrityError:
        raise ValidationError(
            {"service": [_("Organizace už má tuto službu na rok %(year)s.") % {"year": year}]}
        )


def remote_access_service(vendor) -> Service | None:
    """The cheapest paid yearly service that opens remote access (Harmonik: 1 PC)."""
    services = Service.objects.filter(vendor=vendor, unit=Service.Unit.YEAR, price__gt=0)
    remote = [s for s in services.order_by("price", "pk") if REMOTE in (s.opens_channels or [])]
    return remote[0] if remote else None


@transaction.atomic
def grant_purchase_bonus(organization, purchase_date: date, service: Service | None = None):
    """A new product bought on ``purchase_date``: remote access free for the next calendar year.

    Idempotent; a subscription already there for that year becomes free (the bonus wins).
    """
    service = service or remote_access_service(organization.vendor)
    if service is None:
        raise ValidationError(
            {"service": [_("Dodavatel nemá v ceníku službu vzdáleného přístupu.")]}
        )
    year = purchase_date.year + 1
    reason = _("Nový produkt zakoupen %(date)s: vzdálený přístup zdarma na rok %(year)s.") % {
        "date": day(purchase_date),
        "year": year,
    }
    existing = (
        Subscription.objects.select_for_update()
        .filter(organization=organization, service=service, year=year)
        .first()
    )
    if existing is not None:
        if existing.price != 0 or not existing.free_reason:
            existing.price = Decimal(0)
            existing.free_reason = reason[:200]
            existing.save(update_fields=["price", "free_reason"])
        return existing
    return subscribe(organization, service, year, free_reason=reason)


@transaction.atomic
def record_purchase(organization, product, purchased_on: date, *, actor=None):
    """Staff record that ``organization`` bought ``product``; where the vendor sells remote
    access, the purchase brings it free for the next calendar year (Harmonik's page)."""
    from .models import ProductPurchase

    errors: dict[str, list[str]] = {}
    if product.vendor_id != organization.vendor_id:
        errors["product"] = [_("Produkt patří jinému dodavateli než organizace.")]
    if not 2000 <= purchased_on.year <= 2099:
        errors["purchased_on"] = [_("Neplatné datum nákupu.")]
    if errors:
        raise ValidationError(errors)
    service = remote_access_service(organization.vendor)
    bonus = grant_purchase_bonus(organization, purchased_on, service) if service else None
    return ProductPurchase.objects.create(
        organization=organization,
        product=product,
        purchased_on=purchased_on,
        subscription=bonus,
        recorded_by=actor if actor is not None and actor.pk else None,
    )


@dataclass
class Renewals:
    created: list[Subscription] = field(default_factory=list)
    #: free bonus years that end: offer the paid service, never renew it unasked
    bonuses_ending: list[Subscription] = field(default_factory=list)


@transaction.atomic
def prepare_renewals(year: int, vendor=None) -> Renewals:
    """Create ``year + 1``'s subscriptions from ``year``'s, at the current prices. Idempotent.

    A paid subscription (or a service free by the price list) renews at today's price; a free
    bonus year does not renew by itself. Former customers are left out.
    """
    out = Renewals()
    current = (
        Subscription.objects.filter(year=year)
        .exclude(organization__stage="former")
        .select_related("organization", "service")
        .order_by("organization_id", "service_id")
    )
    if vendor is not None:
        current = current.filter(organization__vendor=vendor)
    taken = set(
        Subscription.objects.filter(year=year + 1).values_list("organization_id", "service_id")
    )
    for sub in current:
        if (sub.organization_id, sub.service_id) in taken:
            continue
        if sub.free_reason and sub.service.price > 0:
            out.bonuses_ending.append(sub)
            continue
        out.created.append(
            Subscription.objects.create(
                organization=sub.organization,
                service=sub.service,
                year=year + 1,
                quantity=sub.quantity,
                price=sub.service.price * sub.quantity,
            )
        )
    return out


def subscribed_channels(organization, year: int) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(service name, channels it opens) of the organisation's subscriptions for ``year``,
    read once per configuration version (``core.configcache``): asked for every new ticket."""

    def load():
        subs = Subscription.objects.filter(organization=organization, year=year)
        return tuple(
            (s.service.name, tuple(s.service.opens_channels or []))
            for s in subs.select_related("service")
        )

    return configcache.cached("billing.subscribed_channels", (organization.pk, year), load)


def subscription_contract_facts(organization, on: date, contracts=None) -> list[ent.ContractFacts]:
    """Contracts as the entitlement rules see them, with the channels subscribed for ``on``'s year.

    For each contract valid on ``on`` (pass them to save a query) whose plan lacks a channel a
    subscription opens, the same contract with that channel covered, limited to the calendar
    year. An organisation without a contract gets the subscribed channels alone. Append these
    after the plain contracts: ties go to the earlier candidate.
    """
    from podpora.customers import services as customer_services

    if organization is None:
        return []
    subs = subscribed_channels(organization, on.year)
    opened = {c for _name, channels in subs for c in channels if c in ent.CHANNELS}
    if not opened:
        return []
    first, last = date(on.year, 1, 1), date(on.year, 12, 31)
    if contracts is None:
        contracts = customer_services.valid_contracts(organization, on)
    contracts = list(contracts)
    facts = []
    for contract in contracts:
        terms = customer_services.plan_terms(contract.plan)
        extra = opened - terms.channels
        if not extra:
            continue
        terms = dataclasses.replace(
            terms,
            channels=terms.channels | extra,
            billable_channels=terms.billable_channels - extra,
        )
        valid_to = last if contract.valid_to is None else min(contract.valid_to, last)
        facts.append(
            ent.ContractFacts(contract.pk, terms, max(contract.valid_from, first), valid_to)
        )
    if not facts and not contracts:
        names = ", ".join(sorted({name for name, channels in subs if channels}))
        terms = ent.PlanTerms(
            code=names, kind="basic", channels=frozenset(opened), require_supported_version=False
        )
        facts.append(ent.ContractFacts(None, terms, first, last))
    return [f for f in facts if f.valid_on(on)]
