"""Who wrote and which ticket a message continues: the rules, table by table."""

from __future__ import annotations

import pytest

from podpora.mail import threading
from podpora.mail.models import OutboundMessage
from podpora.mail.parse import ParsedMessage
from podpora.tickets.models import Article

from ..conftest import new_ticket


@pytest.fixture
def ticket(cast):
    """Alena's ticket of Alfa; Alfa's domain is alfa.example; one inactive contact."""
    from podpora.customers.models import Contact

    cast.org_a.email_domains = ["@Alfa.example"]
    cast.org_a.save()
    Contact.objects.create(
        organization=cast.org_a, first_name="Ota", last_name="Bývalý", email="ota@example.cz",
        is_active=False,
    )  # fmt: skip
    return new_ticket(cast)


@pytest.mark.parametrize(
    ("address", "belongs"),
    [
        ("alena@example.cz", True),  # the requester
        ("ALENA@Example.CZ", True),
        ("adam@example.cz", True),  # a colleague: an active contact of the organisation
        ("eva@example.cz", True),  # an end user is still their contact
        ("ota@example.cz", False),  # an inactive contact
        ("kdokoli@alfa.example", True),  # the organisation's domain
        ("bohous@example.cz", False),  # a contact of another organisation
        ("alena@example.com", False),
        ("", False),
        (None, False),
    ],
)
def test_sender_belongs(ticket, address, belongs):
    assert threading.sender_belongs(ticket, address) is belongs


def test_the_tickets_own_contact_belongs_even_when_made_inactive(cast, ticket):
    ticket.requester_email = "jina@example.cz"
    cast.contact_a.is_active = False
    cast.contact_a.save()
    assert threading.sender_belongs(ticket, "alena@example.cz")
    ticket.organization, ticket.organization_id = None, None  # a ticket without organisation
    assert threading.sender_belongs(ticket, "alena@example.cz")
    assert not threading.sender_belongs(ticket, "adam@example.cz")


@pytest.mark.parametrize(
    ("address", "contact", "org", "verified"),
    [
        ("adam@example.cz", "contact_a2", "org_a", True),
        ("Adam@EXAMPLE.cz", "contact_a2", "org_a", True),
        ("kdokoli@alfa.example", None, "org_a", False),  # by domain only: not verified
        ("ota@example.cz", None, None, False),  # inactive contact, no domain match
        ("nikdo@nikde.example", None, None, False),
    ],
)
def test_identify_sender(cast, ticket, address, contact, org, verified):
    sender = threading.identify_sender(cast.vendor, address)
    assert sender.contact == (getattr(cast, contact) if contact else None)
    assert sender.organization == (getattr(cast, org) if org else None)
    assert sender.verified is verified
    assert threading.identify_sender(cast.other_vendor, address).organization is None


def test_an_ambiguous_domain_identifies_nobody(cast, ticket):
    cast.org_b.email_domains = ["alfa.example"]
    cast.org_b.save()
    assert threading.identify_sender(cast.vendor, "kdokoli@alfa.example").organization is None


def _parsed(in_reply_to="", references=(), subject=""):
    return ParsedMessage(
        raw_sha256="", raw_size=0, message_id=None, in_reply_to=in_reply_to,
        references=list(references), subject=subject, from_address=None, from_name="",
        reply_to=[], to=[], cc=[], date=None, text_body="", html_body=None, attachments=[],
        defects=[],
    )  # fmt: skip


def test_find_ticket_by_our_message_ids_then_articles_then_the_tag(cast, ticket):
    other = new_ticket(cast, contact=cast.contact_b)
    OutboundMessage.objects.create(ticket=ticket, kind="x", subject="s", message_id="our@p")
    Article.objects.filter(ticket=other).update(message_id="theirs@x")

    found = threading.find_ticket(_parsed("our@p"), cast.vendor)
    assert (found.ticket, found.via) == (ticket, "in_reply_to")
    found = threading.find_ticket(_parsed("unknown@x", ["our@p", "theirs@x"]), cast.vendor)
    assert (found.ticket, found.via) == (other, "references")  # the newest reference first
    found = threading.find_ticket(_parsed(subject=f"Re: [#{other.number}] tisk"), cast.vendor)
    assert (found.ticket, found.via) == (other, "subject_tag")
    assert threading.find_ticket(_parsed("our@p"), cast.other_vendor).ticket is None
    assert threading.find_ticket(_parsed(subject="Re: tisk faktur"), cast.vendor).ticket is None


def test_our_own_message_id_wins_over_a_stored_article_with_the_same_id(cast, ticket):
    other = new_ticket(cast, contact=cast.contact_b)
    Article.objects.filter(ticket=other).update(message_id="same@p")
    OutboundMessage.objects.create(ticket=ticket, kind="x", subject="s", message_id="same@p")
    assert threading.find_ticket(_parsed("same@p"), cast.vendor).ticket == ticket
