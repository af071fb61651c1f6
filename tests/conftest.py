"""A small cast used across tests: vendor A with two customers, an agent, and vendor B."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Generated inputs are judged by what they show, never by the machine's speed: CI shares two
# cores, and a slow example there is no failure of the code under test.
settings.register_profile("podpora", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("podpora")

CORPUS = Path(
    os.environ.get("PODPORA_CORPUS", Path(__file__).resolve().parents[2] / "shared" / "corpus")
)


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.STORAGE_DIR = tmp_path / "blobs"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.utils import translation

    translation.activate("cs")  # a test that switched language must not leak it into the next
    # The configuration cache is not cleared: each test's writes give tokens that no later
    # test can produce again (rolled back or flushed), so its cached rows are never served.
    yield
    translation.activate("cs")


HOURS = {d: [["08:00", "16:30"]] for d in ("mon", "tue", "wed", "thu", "fri")} | {
    "sat": [],
    "sun": [],
}


class Cast:
    """Plain attributes, created by the `cast` fixture."""


def build_cast() -> Cast:
    from podpora.accounts.models import Team, User
    from podpora.catalog.models import Product, Version
    from podpora.customers.models import Contact, Contract, Organization, Plan, Vendor
    from podpora.sla.models import BusinessCalendar, SlaPolicy, SlaTarget

    c = Cast()
    c.vendor = Vendor.objects.create(
        slug="acme", name="ACME Software", ticket_prefix="AC", price_list_rate=1500
    )
    c.other_vendor = Vendor.objects.create(slug="other", name="Other Vendor", ticket_prefix="OT")
    c.calendar = BusinessCalendar.objects.create(
        vendor=c.vendor, name="ACME", week=HOURS, holiday_countries=["CZ"], holiday_dates=[]
    )
    c.policy = SlaPolicy.objects.create(vendor=c.vendor, name="Standard", calendar=c.calendar)
    for prio, first, res in [
        (1, "1h", "8h"),
        (2, "2h", "2wd"),
        (3, "4h", "3wd"),
        (4, "1wd", "10wd"),
        (5, "2wd", ""),
    ]:
        SlaTarget.objects.create(
            policy=c.policy, priority=prio, first_response=first, resolution=res
        )
    c.plan = Plan.objects.create(
        vendor=c.vendor,
        code="maint",
        name="Údržba",
        kind="maintenance",
        channels=["portal", "email", "phone", "api"],
        excluded_scopes=["training", "third_party"],
        languages=["cs", "sk"],
        sla_policy=c.policy,
    )
    c.product = Product.objects.create(vendor=c.vendor, code="erp", name="ACME ERP")
    c.version = Version.objects.create(
        product=c.product, name="5.0", released_on=dt.date(2026, 1, 1)
    )
    c.old_version = Version.objects.create(
        product=c.product,
        name="3.0",
        released_on=dt.date(2020, 1, 1),
        supported_until=dt.date(2022, 12, 31),
    )
    c.other_product = Product.objects.create(vendor=c.other_vendor, code="x", name="Other X")
    c.org_a = Organization.objects.create(vendor=c.vendor, name="Alfa s.r.o.", ico="25596641")
    c.org_b = Organization.objects.create(vendor=c.vendor, name="Beta a.s.", ico="27082440")
    for org in (c.org_a, c.org_b):
        Contract.objects.create(organization=org, plan=c.plan, valid_from=dt.date(2020, 1, 1))

    def contact(org, username, first, last, role="authorised"):
        user = User.objects.create_user(
            username, f"{username}@example.cz", "heslo-123", kind="customer"
        )
        return Contact.objects.create(
            organization=org,
            user=user,
            first_name=first,
            last_name=last,
            email=user.email,
            role=role,
        )

    c.contact_a = contact(c.org_a, "alena", "Alena", "Nováková")
    c.contact_a2 = contact(c.org_a, "adam", "Adam", "Král")
    c.contact_b = contact(c.org_b, "bohous", "Bohumil", "Dvořák")
    c.end_user_a = contact(c.org_a, "eva", "Eva", "Malá", role="end_user")
    c.agent = User.objects.create_user(
        "agent",
        "agent@acme.example",
        "heslo-123",
        kind="staff",
        role="agent",
        vendor=c.vendor,
        first_name="Petr",
        last_name="Operátor",
    )
    c.other_agent = User.objects.create_user(
        "cizi", "cizi@other.example", "heslo-123", kind="staff", role="agent", vendor=c.other_vendor
    )
    c.team = Team.objects.create(vendor=c.vendor, name="Hotline", lead=c.agent)
    c.team.members.add(c.agent)
    return c


@pytest.fixture
def cast(db):
    return build_cast()


def new_ticket(c, contact=None, **overrides):
    from podpora.tickets import services

    contact = contact or c.contact_a
    data = {
        "vendor": c.vendor,
        "subject": "Nejde tisk faktur",
        "body": "Při tisku faktury se objeví chyba.",
        "channel": "portal",
        "organization": contact.organization,
        "contact": contact,
        "product": c.product,
        "version": c.version,
    }
    data.update(overrides)
    now = data.pop("now", None)
    actor = data.pop("actor", contact.user)
    return services.create_ticket(services.NewTicket(**data), actor=actor, now=now)
