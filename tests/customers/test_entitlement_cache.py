"""Contracts and plans of an entitlement come from the per-process configuration cache."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from podpora.customers import services as customer_services
from podpora.customers.models import Contract, Plan
from podpora.sla import services as sla_services
from podpora.tickets import events
from podpora.tickets.models import Ticket
from tests.conftest import new_ticket


def _entitle(cast, number: str) -> tuple[Ticket, list[str]]:
    """Entitlement and SLA of a new e-mail ticket of Alfa, as create_ticket decides them."""
    now = timezone.now()
    with events.batched():
        ticket = Ticket(
            vendor=cast.vendor,
            number=number,
            subject="Nejde tisk faktur",
            channel="email",
            organization=cast.org_a,
            contact=cast.contact_a,
            product=cast.product,
            version=cast.version,
            priority=3,
            created_at=now,
            updated_at=now,
        )
        with CaptureQueriesContext(connection) as queries:
            customer_services.apply_entitlement(ticket, on=timezone.localdate(now))
            sla_services.start_clocks(ticket, now)
        ticket.save(force_insert=True)
    return ticket, [q["sql"] for q in queries.captured_queries]


def test_a_second_ticket_of_the_organisation_costs_only_the_token_reads(cast):
    cast.vendor.public_plan = Plan.objects.create(
        vendor=cast.vendor, code="verejny", name="Veřejný formulář", kind="basic"
    )
    cast.vendor.save()
    _first, first_queries = _entitle(cast, "AC-90001")
    ticket, queries = _entitle(cast, "AC-90002")
    assert len(first_queries) > len(queries)
    # contracts, subscriptions, the vendor's fallback plans, SLA targets, the channels' own
    # calendars: one token read each
    assert len(queries) == 5
    assert all("core_configversion" in sql for sql in queries), queries
    assert (ticket.entitlement_status, ticket.contract.plan) == ("covered", cast.plan)
    assert (ticket.sla_policy, ticket.first_response_target) == (cast.policy, "4h")


def test_a_contract_saved_later_changes_the_next_tickets_entitlement(cast):
    first = new_ticket(cast)
    assert first.entitlement_status == "covered" and first.contract is not None
    contract = Contract.objects.get(pk=first.contract_id)
    contract.valid_to = timezone.localdate() - dt.timedelta(days=1)
    contract.save()
    second = new_ticket(cast)
    assert second.contract_id is None and second.plan is None
    assert second.entitlement_status != "covered" and second.sla_policy is None


def test_a_plan_updated_in_bulk_changes_the_next_tickets_entitlement(cast):
    assert new_ticket(cast, channel="portal").entitlement_status == "covered"
    Plan.objects.filter(pk=cast.plan.pk).update(channels=["email"])  # no save(), no signal
    assert new_ticket(cast, channel="portal").entitlement_status != "covered"
    assert new_ticket(cast, channel="email").entitlement_status == "covered"
