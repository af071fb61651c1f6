"""Two vendors, each with one row of every model of the vendor's administration."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from tests.billing.conftest import _clean_cache, seed  # noqa: F401 (fixtures)
from tests.conftest import HOURS


def make_config(vendor, tag: str) -> SimpleNamespace:
    """One row of each configuration model for ``vendor``; ``tag`` keeps names apart."""
    from podpora.accounts.models import Team, User
    from podpora.billing.models import Subscription
    from podpora.catalog.models import Product, Release, Service, Version
    from podpora.customers.models import (
        ChannelInfo,
        Contract,
        Licence,
        Organization,
        Plan,
        PrepaidPackage,
        ScopeItem,
    )
    from podpora.kb.models import Article
    from podpora.macros.models import Macro
    from podpora.mail.models import Mailbox
    from podpora.sla.models import BusinessCalendar, SlaPolicy, SlaTarget
    from podpora.vendoradmin import audit
    from podpora.vendoradmin.models import ChangeRecord

    o = SimpleNamespace(vendor=vendor)
    o.calendar = BusinessCalendar.objects.create(
        vendor=vendor, name=f"Kalendář {tag}", week=HOURS, holiday_countries=["CZ"]
    )
    o.policy = SlaPolicy.objects.create(vendor=vendor, name=f"SLA {tag}", calendar=o.calendar)
    o.target = SlaTarget.objects.create(
        policy=o.policy, priority=2, first_response="2h", resolution="2wd"
    )
    o.plan = Plan.objects.create(
        vendor=vendor, code=f"plan-{tag}", name=f"Tarif {tag}", kind="maintenance",
        sla_policy=o.policy,
    )  # fmt: skip
    o.product = Product.objects.create(vendor=vendor, code=f"prod-{tag}", name=f"Produkt {tag}")
    o.version = Version.objects.create(product=o.product, name=f"1.{tag}")
    o.release = Release.objects.create(product=o.product, version=o.version, notes="Opravy")
    o.service = Service.objects.create(
        vendor=vendor, code=f"svc-{tag}", name=f"Služba {tag}", unit="year", price=1000
    )
    o.org = Organization.objects.create(vendor=vendor, name=f"Firma {tag} s.r.o.")
    o.contract = Contract.objects.create(
        organization=o.org, plan=o.plan, valid_from=dt.date(2026, 1, 1)
    )
    o.licence = Licence.objects.create(
        vendor=vendor, organization=o.org, product=o.product, number=f"LIC-{tag}"
    )
    o.package = PrepaidPackage.objects.create(
        organization=o.org, name=f"Balík {tag}", minutes=600, valid_from=dt.date(2026, 1, 1)
    )
    o.subscription = Subscription.objects.create(
        organization=o.org, service=o.service, year=2026, price=1000
    )
    o.channel = ChannelInfo.objects.create(vendor=vendor, channel="phone", contact="+420 1")
    o.scope = ScopeItem.objects.create(vendor=vendor, code=f"scope_{tag}", name=f"Druh {tag}")
    o.manager = User.objects.create_user(
        f"manager-{tag}", f"manager-{tag}@example.cz", "heslo-123", kind="staff",
        role="manager", vendor=vendor, first_name="Marie", last_name=f"Vedoucí {tag}",
    )  # fmt: skip
    o.staff = User.objects.create_user(
        f"resitel-{tag}", f"resitel-{tag}@example.cz", "heslo-123", kind="staff",
        role="solver", vendor=vendor, solver_level=2,
    )  # fmt: skip
    o.team = Team.objects.create(vendor=vendor, name=f"Tým {tag}", lead=o.staff)
    o.mailbox = Mailbox.objects.create(
        vendor=vendor, name=f"Schránka {tag}", address=f"podpora-{tag}@example.cz"
    )
    o.article = Article.objects.create(
        vendor=vendor, title=f"Návod {tag}", slug=f"navod-{tag}", body="**Tučně**"
    )
    o.macro = Macro.objects.create(vendor=vendor, name=f"Poděkování {tag}", body_cs="Děkujeme.")
    o.record = audit.record(
        o.manager, vendor.pk, o.product, ChangeRecord.Action.ADD, None, audit.snapshot(o.product)
    )
    return o


@pytest.fixture
def two_vendors(cast):
    a = make_config(cast.vendor, "a")
    b = make_config(cast.other_vendor, "b")
    return SimpleNamespace(a=a, b=b, cast=cast)
