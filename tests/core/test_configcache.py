"""The configuration version kept by database triggers, and the per-process cache built on it."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

import pytest
from django.db import connection, transaction

from podpora.accounts.models import Team
from podpora.billing.models import Subscription
from podpora.catalog.models import Product, Service
from podpora.core import configcache
from podpora.customers.models import ChannelInfo, Contract, Organization, Plan, Vendor
from podpora.mail.models import Mailbox
from podpora.sla.models import BusinessCalendar, SlaPolicy, SlaTarget

from .helpers import run_in_another_connection


def _subscription(c):
    service = Service.objects.create(vendor=c.vendor, code="vzdaleny", name="Vzdálený přístup")
    return Subscription(organization=c.org_a, service=service, year=2026, price=0)


# an unsaved new row of every table the caches hold
NEW_ROWS = {
    Vendor: lambda c: Vendor(slug="nova", name="Nová", ticket_prefix="NV"),
    Organization: lambda c: Organization(vendor=c.vendor, name="Nová organizace"),
    Plan: lambda c: Plan(vendor=c.vendor, code="novy", name="Nový", kind="basic"),
    Contract: lambda c: Contract(organization=c.org_a, plan=c.plan, valid_from=dt.date(2026, 1, 1)),
    SlaPolicy: lambda c: SlaPolicy(vendor=c.vendor, name="Nová", calendar=c.calendar),
    SlaTarget: lambda c: SlaTarget(policy=c.policy, priority=6, first_response="1h"),
    BusinessCalendar: lambda c: BusinessCalendar(name="Nový"),
    Mailbox: lambda c: Mailbox(vendor=c.vendor, name="Nová", address="nova@acme.example"),
    Team: lambda c: Team(vendor=c.vendor, name="Nový"),
    Product: lambda c: Product(vendor=c.vendor, code="novy", name="Nový"),
    Service: lambda c: Service(vendor=c.vendor, code="novy", name="Nová"),
    Subscription: _subscription,
    ChannelInfo: lambda c: ChannelInfo(vendor=c.vendor, channel="fax", contact="224 000 000"),
}
POLL_STATUS = {"last_polled_at", "last_error"}


class Boom(Exception):
    pass


def _trigger_events() -> dict[str, list[tuple[str, str]]]:
    """{table: [(events clause, full SQL)]} of the triggers in the database."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute(
                "SELECT c.relname, pg_get_triggerdef(t.oid) FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal"
            )
        rows = cursor.fetchall()
    out = defaultdict(list)
    for table, sql in rows:
        events = re.split(r" (?:BEFORE|AFTER) ", sql, maxsplit=1)[1].split(" ON ", 1)[0]
        out[table].append((events, sql))
    return out


@pytest.mark.django_db
def test_every_covered_table_has_its_triggers():
    """On SQLite a migration that rebuilds a table drops its triggers; this notices."""
    triggers = _trigger_events()
    for model in NEW_ROWS:
        table = model._meta.db_table
        bumping = [events for events, sql in triggers[table] if "core_configversion" in sql]
        for event in ("INSERT", "UPDATE", "DELETE"):
            assert any(event in events.split() for events in bumping), (table, event)


@pytest.mark.django_db
def test_a_mailbox_update_counts_unless_it_sets_only_the_poll_status():
    [events] = [e for e, _sql in _trigger_events()["mail_mailbox"] if "UPDATE" in e.split()]
    columns = {f.column for f in Mailbox._meta.concrete_fields}
    listed = set(events.split(" OF ", 1)[1].replace(",", " ").split()) & columns
    assert listed == columns - POLL_STATUS  # a new column must be added to the trigger


@pytest.mark.parametrize("model", list(NEW_ROWS), ids=lambda m: m._meta.label)
def test_every_write_to_a_covered_table_gives_a_new_token(cast, model):
    row = NEW_ROWS[model](cast)
    field = next(f for f in model._meta.concrete_fields if not (f.primary_key or f.is_relation))
    tokens = [configcache.version()]
    row.save()
    tokens.append(configcache.version())
    model.objects.filter(pk=row.pk).update(**{field.attname: getattr(row, field.attname)})
    tokens.append(configcache.version())
    row.save()
    tokens.append(configcache.version())
    row.delete()
    tokens.append(configcache.version())
    assert None not in tokens and len(set(tokens)) == len(tokens)


def test_polling_a_mailbox_leaves_the_token_alone(cast):
    mailbox = Mailbox.objects.create(vendor=cast.vendor, name="Podpora", address="p@acme.example")
    before = configcache.version()
    Mailbox.objects.filter(pk=mailbox.pk).update(last_polled_at=dt.datetime.now(dt.UTC))
    Mailbox.objects.filter(pk=mailbox.pk).update(last_error="spojení odmítnuto")
    assert configcache.version() == before
    Mailbox.objects.filter(pk=mailbox.pk).update(is_active=False)
    assert configcache.version() != before


def _vendor_name(pk: int) -> str:
    return configcache.cached("test.vendor", pk, lambda: Vendor.objects.get(pk=pk).name)


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_never_validates_a_stale_entry(cast):
    pk = cast.vendor.pk
    committed = configcache.version()
    assert _vendor_name(pk) == "ACME Software"
    for _attempt in range(2):
        with pytest.raises(Boom), transaction.atomic():
            Vendor.objects.filter(pk=pk).update(name="Vráceno")
            assert _vendor_name(pk) == "Vráceno"  # cached under the transaction's own token
            raise Boom
        assert configcache.version() == committed  # the token rolled back with the row
    assert _vendor_name(pk) == "ACME Software"

    with pytest.raises(Boom), transaction.atomic():
        Vendor.objects.filter(pk=pk).update(name="Vráceno")
        assert _vendor_name(pk) == "Vráceno"
        raise Boom
    # the rolled-back entry is still cached; a committed change must not take its token
    Vendor.objects.filter(pk=pk).update(name="Potvrzeno")
    assert _vendor_name(pk) == "Potvrzeno"


@pytest.mark.django_db(transaction=True)
def test_a_raw_update_committed_by_another_connection_is_seen_at_once(cast):
    pk = cast.vendor.pk
    assert _vendor_name(pk) == "ACME Software"
    run_in_another_connection("UPDATE customers_vendor SET name = %s WHERE id = %s", ["Jinde", pk])
    assert _vendor_name(pk) == "Jinde"


def test_an_unchanged_configuration_is_loaded_once(cast, django_assert_num_queries):
    loads = []
    configcache.cached("test.once", 1, lambda: loads.append(1))
    with django_assert_num_queries(1):  # the token
        configcache.cached("test.once", 1, lambda: loads.append(1))
    assert loads == [1]


def test_the_cache_stays_bounded(cast, monkeypatch):
    monkeypatch.setattr(configcache, "MAX_ENTRIES", 3)
    loads = []

    def get(key):
        return configcache.cached("test.bounded", key, lambda: loads.append(key) or key)

    for key in range(10):
        assert get(key) == key
    get(7)  # used lately: stays when 10 comes
    get(10)
    assert len(configcache._entries["test.bounded"]) == 3
    assert get(7) == 7 and get(10) == 10 and get(0) == 0
    assert loads == [*range(11), 0]


def test_without_the_token_row_nothing_is_cached(cast):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_configversion")
    loads = []
    for _ in range(2):
        configcache.cached("test.uncached", 1, lambda: loads.append(1))
    assert loads == [1, 1]
    cast.vendor.save()  # any covered write brings the row back
    assert configcache.version() is not None


def test_one_read_serves_every_cached_value_of_a_block(cast, django_assert_num_queries):
    for kind in ("test.a", "test.b", "test.c"):
        configcache.cached(kind, 1, lambda k=kind: k)
    with django_assert_num_queries(1), configcache.one_read():  # one token read, not three
        assert [
            configcache.cached(k, 1, lambda: "reloaded") for k in ("test.a", "test.b", "test.c")
        ] == [
            "test.a",
            "test.b",
            "test.c",
        ]


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_during_one_read_is_seen_by_the_next_block(cast):
    pk = cast.vendor.pk
    with configcache.one_read():
        assert _vendor_name(pk) == "ACME Software"
        run_in_another_connection(
            "UPDATE customers_vendor SET name = %s WHERE id = %s", ["Jinde", pk]
        )
        assert _vendor_name(pk) == "ACME Software"  # as if the block had started earlier
    assert _vendor_name(pk) == "Jinde"
