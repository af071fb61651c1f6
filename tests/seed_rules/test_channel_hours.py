"""Each channel's hours, as the five vendors' pages state them, decide the promised times.

A request's SLA runs in its channel's own calendar where the vendor set one (cloudempiere's
phone: working days 8:00–17:00, while the portal and e-mail run 24/7), otherwise in the
calendar of the contract's SLA policy (Harmonik's hours differ per weekday, InTouch's phone
8:00–16:00, ESTELAR 8:00–17:00, HR Plus 8:00–16:30). Every expected instant is worked out by
hand from the vendor's page and the acceptance contract's meaning of ``h`` and ``wd``; the
rows are checked on creation and again when the priority changes (the recompute).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from podpora.customers.models import Contact, Contract, Organization
from podpora.profiles.files import VENDORS_DIR, load_file
from podpora.tickets import services

PRAGUE = ZoneInfo("Europe/Prague")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=PRAGUE)


# vendor, plan, channel, received (local), impact, urgency -> priority, first response due
CREATED = [
    # cloudempiere: the portal and e-mail 24/7, the phone Mon–Fri 8:00–17:00 (Bratislava)
    ("cloudempiere", "basic", "portal", "2026-12-05 10:00", 1, 1, 1, "2026-12-05 14:00"),
    ("cloudempiere", "basic", "phone", "2026-12-05 10:00", 1, 1, 1, "2026-12-07 12:00"),
    ("cloudempiere", "basic", "phone", "2026-12-04 15:00", 1, 1, 1, "2026-12-07 10:00"),
    ("cloudempiere", "basic", "email", "2026-12-04 15:00", 1, 1, 1, "2026-12-04 19:00"),
    ("cloudempiere", "strategic", "phone", "2026-12-04 16:45", 1, 1, 1, "2026-12-07 08:15"),
    ("cloudempiere", "strategic", "portal", "2026-12-04 16:45", 1, 1, 1, "2026-12-04 17:15"),
    # ESTELAR: every channel in the vendor's hours 8:00–17:00; Christmas are holidays
    ("estelar", "hotline", "phone", "2026-12-04 16:00", 1, 1, 1, "2026-12-07 09:00"),
    ("estelar", "hotline", "portal", "2026-12-04 16:00", 1, 1, 1, "2026-12-07 09:00"),
    ("estelar", "hotline", "email", "2026-12-23 12:00", 2, 2, 3, "2026-12-28 17:00"),
    # Harmonik: 2 working days, the day's closing differs (Wed 18:00, Fri 16:30)
    ("harmonik", "zakladni", "email", "2026-11-30 10:00", 2, 2, 3, "2026-12-02 18:00"),
    ("harmonik", "zakladni", "phone", "2026-12-02 10:00", 2, 2, 3, "2026-12-04 16:30"),
    ("harmonik", "zakladni", "email", "2026-12-04 16:45", 2, 2, 3, "2026-12-09 18:00"),
    # HR Plus: 8:00–16:30
    ("hrplus", "udrzba-standard", "phone", "2026-12-04 16:00", 1, 1, 1, "2026-12-07 09:30"),
    ("hrplus", "udrzba-standard", "portal", "2026-12-04 07:00", 1, 1, 1, "2026-12-04 10:00"),
    # InTouch: 8:00–16:00, an ordinary question due by the next working day
    ("intouch", "tp", "phone", "2026-12-03 15:30", 2, 2, 3, "2026-12-04 16:00"),
    ("intouch", "tp", "email", "2026-12-03 16:30", 2, 2, 3, "2026-12-07 16:00"),
]


def _customer(slug: str, plan_code: str):
    vendor = load_file(VENDORS_DIR / f"{slug}.yaml").vendor
    org = Organization.objects.create(vendor=vendor, name="Zkušební zákazník s.r.o.")
    Contract.objects.create(
        organization=org, plan=vendor.plans.get(code=plan_code), valid_from=dt.date(2026, 1, 1)
    )
    contact = Contact.objects.create(
        organization=org, first_name="Jana", last_name="Dvořáková", email="jana@zakaznik.example"
    )
    return vendor, org, contact


def _file(vendor, org, contact, channel, received, impact, urgency):
    product = vendor.products.order_by("pk").first()
    version = product.versions.order_by("-released_on").first()  # InTouch asks for it
    return services.create_ticket(
        services.NewTicket(
            vendor=vendor,
            subject="Nejde tisk faktur",
            body="Dobrý den, od rána nejde vytisknout fakturu. Používáme verzi 10.0.",
            channel=channel,
            organization=org,
            contact=contact,
            impact=impact,
            urgency=urgency,
            type="question",
            product=product,
            version=version,
        ),
        now=at(received),
    )


@pytest.mark.parametrize(
    "slug,plan,channel,received,impact,urgency,priority,due",
    CREATED,
    ids=[f"{r[0]}-{r[1]}-{r[2]}-{r[3][5:10]}-{r[3][11:]}" for r in CREATED],
)
def test_first_response_due_in_the_channel_hours(
    db, slug, plan, channel, received, impact, urgency, priority, due
):
    vendor, org, contact = _customer(slug, plan)
    ticket = _file(vendor, org, contact, channel, received, impact, urgency)
    assert ticket.entitlement_status == "covered", ticket.entitlement_detail
    assert ticket.priority == priority
    assert ticket.first_response_due.astimezone(PRAGUE) == at(due)


# a priority raised later is counted again from receipt, in the same channel's hours
RECOMPUTED = [
    # received Saturday 10:00 at P5, raised to P1 (4h) on Monday: cloudempiere's phone counts
    # from Monday 8:00, its portal from Saturday 10:00
    ("cloudempiere", "basic", "phone", "2026-12-05 10:00", "2026-12-07 09:00", "2026-12-07 12:00"),
    ("cloudempiere", "basic", "portal", "2026-12-05 10:00", "2026-12-05 11:00", "2026-12-05 14:00"),
    (
        "hrplus",
        "udrzba-standard",
        "phone",
        "2026-12-04 16:00",
        "2026-12-07 09:00",
        "2026-12-07 09:30",
    ),
]


@pytest.mark.parametrize("slug,plan,channel,received,changed,due", RECOMPUTED)
def test_a_raised_priority_is_counted_in_the_same_channel_hours(
    db, slug, plan, channel, received, changed, due
):
    vendor, org, contact = _customer(slug, plan)
    ticket = _file(vendor, org, contact, channel, received, 3, 3)
    assert ticket.priority == 5
    ticket = services.set_priority(ticket, impact=1, urgency=1, actor=None, now=at(changed))
    ticket.refresh_from_db()
    assert ticket.priority == 1
    assert ticket.first_response_due.astimezone(PRAGUE) == at(due)
