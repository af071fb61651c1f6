"""The seed vendors as the demo sets them up, on a fixed day, and small helpers around them."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

PRAGUE = ZoneInfo("Europe/Prague")
#: A Monday; the demo's dates (contracts, licences, packages) count from it.
TODAY = dt.date(2026, 3, 2)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), PRAGUE)


@pytest.fixture(autouse=True)
def _clean_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def seed(db):
    """``seed("hrplus")`` loads one vendor of the demo, as its page describes it."""
    from podpora.demo import VENDORS, load_vendor

    loaded = {}

    def load(slug: str, today: dt.date = TODAY):
        if slug not in loaded:
            setup = next(v for v in VENDORS if v.slug == slug)
            loaded[slug] = load_vendor(setup, today)[0]
        return loaded[slug]

    return load


def contact(username: str):
    from podpora.customers.models import Contact

    return Contact.objects.select_related("organization", "organization__vendor").get(
        user__username=username
    )


def staff(username: str):
    from podpora.accounts.models import User

    return User.objects.get(username=username)


def file_ticket(
    vendor,
    who: str | None = None,
    *,
    channel: str = "portal",
    type: str = "question",
    on: dt.date = TODAY,
    organization=None,
    version: str | None = "latest",
    licence: bool = True,
    **extra,
):
    """A request as the channel brings it: a contact (portal, e-mail, phone) or anyone (form)."""
    from podpora.tickets import services

    person = contact(who) if who else None
    org = person.organization if person else organization
    product = vendor.products.first()
    if version == "latest":
        found = product.versions.order_by("-released_on").first()
    else:
        found = product.versions.get(name=version) if version else None
    data = {
        "vendor": vendor,
        "subject": "Dotaz zákazníka",
        "body": "Popis požadavku.",
        "channel": channel,
        "type": type,
        "organization": org,
        "contact": person,
        "product": product if found else None,
        "version": found,
        "licence": org.licences.first() if (org is not None and licence) else None,
        "language": person.language if person else "cs",
    }
    if channel == "webform" and person is None:
        data |= {"requester_email": "tazatel@example.cz", "requester_name": "Jana Tazatelová"}
    data.update(extra)
    actor = person.user if person else None
    return services.create_ticket(services.NewTicket(**data), actor=actor, now=at(on))


def judge(ticket, channel: str, on: dt.date):
    """The entitlement for work through another channel (remote access), as the Django layer
    builds it today plus the subscribed channels from billing."""
    from decimal import Decimal

    from podpora.billing.subscriptions import subscription_contract_facts
    from podpora.customers import entitlements as ent
    from podpora.customers import services as cs

    probe = copy.copy(ticket)
    probe.channel = channel
    org = ticket.organization
    contracts = list(cs.contracts_valid_on(org, on))
    facts = [
        ent.ContractFacts(c.pk, cs.plan_terms(c.plan), c.valid_from, c.valid_to) for c in contracts
    ]
    facts += subscription_contract_facts(org, on, contracts)
    vendor = ticket.vendor
    return ent.evaluate(
        cs.request_facts(probe, on),
        facts,
        price_list_rate=Decimal(vendor.price_list_rate) if vendor.price_list_rate else None,
        start_plan=cs._terms(vendor.start_plan),
        warranty_plan=cs._terms(vendor.warranty_plan),
        public_plan=cs._terms(vendor.public_plan),
        licence=cs.licence_facts(ticket.licence),
    )


@pytest.fixture
def work(seed):
    """Billable time at HR Plus and ESTELAR, yearly services at Harmonik."""
    from podpora.billing.services import log_time
    from podpora.billing.subscriptions import grant_purchase_bonus, subscribe
    from podpora.customers.models import Organization

    hrplus, estelar, harmonik = seed("hrplus"), seed("estelar"), seed("harmonik")
    horak = file_ticket(hrplus, "hrplus-horak", channel="phone", subject="Mzdy za únor")
    log_time(horak, staff("hrplus-agent"), 630, "konzultace", worked_on=TODAY)  # 600 prepaid
    log_time(horak, staff("hrplus-agent"), 7, "", worked_on=TODAY)
    log_time(horak, staff("hrplus-agent"), 60, "loni", worked_on=dt.date(2025, 12, 31))
    bartos = file_ticket(estelar, "estelar-bartos", channel="phone", subject="Docházka")
    log_time(bartos, staff("estelar-resitel"), 45, "servisní zásah", worked_on=TODAY)
    orgs = {o.name: o for o in Organization.objects.filter(vendor=harmonik)}
    jelinek, kolin = orgs["Účetnictví Jelínek s.r.o."], orgs["Stavebniny Kolín a.s."]
    services = {s.code: s for s in harmonik.services.all()}
    subscribe(jelinek, services["vzdaleny-pristup-pc"], 2026)
    subscribe(jelinek, services["sprava-serveru"], 2026, price=Decimal("12.50"))  # VAT 2.625
    subscribe(jelinek, services["vzdaleny-pristup-pc"], 2027)  # not due in the period
    grant_purchase_bonus(kolin, dt.date(2025, 9, 1))  # free: nothing to invoice
    return {"hrplus": hrplus, "harmonik": harmonik, "jelinek": jelinek}


@pytest.fixture
def admin(db):
    from podpora.accounts.models import User

    return User.objects.create_superuser("root", "root@podpora.example", "x", kind="staff")
