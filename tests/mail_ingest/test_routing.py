"""The per-process routing cache: read once per configuration version, whoever changes it."""

import pytest

from podpora.mail import routing
from podpora.mail.models import Mailbox
from tests.core.helpers import run_in_another_connection

from .helpers import MAILBOX_ADDRESS


def test_routing_is_read_once_and_serves_later_messages_for_the_token_query(
    cast, mailbox, django_assert_num_queries
):
    routing.forget_routing()
    first = routing.routing_data()
    assert first.mailboxes[mailbox.pk].team == cast.team
    assert MAILBOX_ADDRESS.lower() in first.own_addresses
    with django_assert_num_queries(1):  # the configuration token
        again = routing.routing_data()
        assert again.mailboxes[mailbox.pk].vendor == cast.vendor
        assert again.mailboxes[mailbox.pk].product == cast.product


def test_saving_a_mailbox_or_vendor_drops_the_cache(cast, mailbox):
    routing.routing_data()
    mailbox.unknown_sender_policy = Mailbox.UnknownSenderPolicy.AUTOREPLY
    mailbox.save()
    assert routing.routing_data().mailboxes[mailbox.pk].unknown_sender_policy == "autoreply"
    cast.vendor.support_email = "hotline@acme.example"
    cast.vendor.save()
    assert "hotline@acme.example" in routing.routing_data().own_addresses
    other = Mailbox.objects.create(vendor=cast.vendor, name="Druhá", address="druha@acme.example")
    assert routing.routing_data().mailboxes[other.pk].address == "druha@acme.example"
    other.delete()
    assert other.pk not in routing.routing_data().mailboxes


def test_a_queryset_update_is_seen_by_the_next_message(cast, mailbox):
    routing.routing_data()
    Mailbox.objects.filter(pk=mailbox.pk).update(name="Změněno")  # no signal, no save()
    assert routing.routing_data().mailboxes[mailbox.pk].name == "Změněno"


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_by_another_process_is_seen_by_the_next_message(cast, mailbox):
    assert routing.routing_data().mailboxes[mailbox.pk].name == "Podpora ACME"
    run_in_another_connection(
        "UPDATE mail_mailbox SET name = %s WHERE id = %s", ["Změněno jinde", mailbox.pk]
    )
    assert routing.routing_data().mailboxes[mailbox.pk].name == "Změněno jinde"
    run_in_another_connection(
        "UPDATE customers_vendor SET support_email = %s WHERE id = %s",
        ["hotline@acme.example", cast.vendor.pk],
    )
    assert "hotline@acme.example" in routing.routing_data().own_addresses


def test_saving_a_plan_or_sla_policy_drops_the_cache(cast, mailbox):
    """The cached vendor carries its START/warranty/public plans and their SLA policies."""
    first = routing.routing_data()
    cast.plan.save()
    second = routing.routing_data()
    assert second is not first
    cast.plan.sla_policy.save()
    assert routing.routing_data() is not second


def test_mail_to_a_vendors_support_address_without_a_mailbox_reaches_that_vendor(
    cast, deliver, django_assert_num_queries
):
    from podpora.mail import ingest
    from podpora.mail.parse import parse_message
    from podpora.tickets.models import Ticket

    from .helpers import build

    cast.vendor.support_email = "Hotline@ACME.example"
    cast.vendor.save()
    crowd = [f"person{i}@crowd.example" for i in range(150)]
    raw = build(sender="alena@example.cz", to="hotline@acme.example", cc=crowd)
    routing.routing_data()
    inbound = ingest.receive(raw, None)
    # routed from the cache: the configuration token, not a query per recipient
    with django_assert_num_queries(1):
        route = ingest._route(inbound, parse_message(raw))
    assert route.vendor == cast.vendor and route.mailbox is None
    assert deliver(raw, None).state == "processed"
    assert Ticket.objects.get().vendor == cast.vendor
