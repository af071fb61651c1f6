"""Which ticket an inbound message belongs to, and who wrote it.

Threading uses only what we put into our own mail: the Message-IDs we sent or stored
(In-Reply-To, then References from the newest) and the ``[#NUMBER]`` tag in the subject.
Nothing else — no subject similarity, no body search: a false follow-up puts one customer's
words into another customer's ticket (research/reliability-security.md 2.1, 3.1 item 7).

Finding the ticket is not permission to write into it: :func:`sender_belongs` says whether
the sender is the ticket's requester or someone from its organisation; ingestion decides
what to do with a reply from anyone else (a new ticket or quarantine, per mailbox).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection

from podpora.core import configcache
from podpora.core.rows import placeholders
from podpora.customers.models import Contact, Organization
from podpora.tickets.models import Ticket

from .loops import normalise_address
from .parse import ParsedMessage

TICKET_TAG = re.compile(r"\[#([A-Za-z0-9]{1,8}-\d{1,12})\]")
MAX_MERGE_HOPS = 5


@dataclass(frozen=True)
class Thread:
    ticket: Ticket | None
    via: str = ""  # "in_reply_to", "references", "subject_tag" or ""


@dataclass(frozen=True)
class Sender:
    address: str
    contact: Contact | None = None
    organization: Organization | None = None
    verified: bool = False  # a known, active contact (not just a matching domain)
    language: str = "cs"

    @property
    def known(self) -> bool:
        return self.organization is not None


def _domain(address: str) -> str:
    return address.rpartition("@")[2] if "@" in address else ""


def _domains(organization) -> set[str]:
    """The organisation's e-mail domains as we compare them."""
    return {d.strip().lower().lstrip("@") for d in organization.email_domains or [] if d}


def follow_merges(ticket: Ticket) -> Ticket:
    """A reply to a merged ticket belongs to the ticket it was merged into."""
    for _hop in range(MAX_MERGE_HOPS):
        if ticket.merged_into_id is None:
            break
        ticket = Ticket.objects.get(pk=ticket.merged_into_id)
    return ticket


def _candidate_ids(parsed: ParsedMessage) -> list[str]:
    """In-Reply-To, then References from the newest."""
    ids: list[str] = []
    if parsed.in_reply_to:
        ids.append(parsed.in_reply_to)
    ids += [r for r in reversed(parsed.references) if r not in ids]
    return [i for i in ids if i and len(i) <= 250][:60]


def _tags(parsed: ParsedMessage) -> list[str]:
    return [m.group(1).upper() for m in TICKET_TAG.finditer(parsed.subject or "")][:10]


class ThreadIndex:
    """The tickets some messages may continue, looked up for all of them at once (one query
    for their Message-IDs, one for their subject tags, both loaded at the first question).

    :meth:`learn` adds a message filed meanwhile, so a reply to a message of the same batch
    finds its ticket as if the batch had been processed one message at a time."""

    def __init__(self, messages: list[ParsedMessage], vendor=None):
        self.vendor_id = vendor.pk if vendor is not None else None
        self._ids = list(dict.fromkeys(i for p in messages for i in _candidate_ids(p)))
        self._numbers = list(dict.fromkeys(n for p in messages for n in _tags(p)))
        self._loaded: dict = {}  # look-up function -> its answer for everything announced
        self._learnt: dict[str, int] = {}

    def learn(self, message_id: str, ticket_id: int) -> None:
        self._learnt.setdefault(message_id, ticket_id)

    def find(self, parsed: ParsedMessage) -> Thread:
        ids = _candidate_ids(parsed)
        if ids:
            found = self._known(_tickets_by_message_id, ids, self._ids)
            for index, mid in enumerate(ids):
                ticket_id = found.get(mid) or self._learnt.get(mid)
                if ticket_id is not None:
                    via = "in_reply_to" if index == 0 and parsed.in_reply_to else "references"
                    return Thread(follow_merges(_ticket(ticket_id)), via)
        numbers = _tags(parsed)
        if numbers:
            found = self._known(_tickets_by_number, numbers, self._numbers)
            for number in numbers:
                if number in found:
                    return Thread(follow_merges(_ticket(found[number])), "subject_tag")
        return Thread(None)

    def _known(self, look_up, wanted: list[str], announced: list[str]) -> dict[str, int]:
        """``look_up``'s answer for everything announced, made once; something not announced
        is looked up alone."""
        if not set(wanted) <= set(announced):
            return look_up(wanted, self.vendor_id)
        if look_up not in self._loaded:
            self._loaded[look_up] = look_up(announced, self.vendor_id)
        return self._loaded[look_up]


def find_ticket(parsed: ParsedMessage, vendor=None) -> Thread:
    """The ticket this message continues, or ``Thread(None)``; scoped to ``vendor`` if given."""
    return ThreadIndex([parsed], vendor).find(parsed)


def sender_belongs(ticket: Ticket, address: str | None) -> bool:
    """May this address speak as the ticket's customer? Its requester, or a contact or an
    e-mail domain of its organisation."""
    address = normalise_address(address)
    if not address:
        return False
    if ticket.requester_email and ticket.requester_email.lower() == address:
        return True
    if ticket.organization_id is None:
        return ticket.contact_id is not None and _is_contact(address, ticket.contact_id, None)
    if _is_contact(address, ticket.contact_id, ticket.organization_id):
        return True
    return _domain(address) in _domains(cached_organization(ticket.organization_id))


def identify_sender(vendor, address: str | None) -> Sender:
    """A known contact of the vendor's customers; else an organisation by e-mail domain
    (unverified); else nobody."""
    address = normalise_address(address)
    return identify_senders(vendor, [address])[address]


def identify_senders(vendor, addresses: list[str]) -> dict[str, Sender]:
    """:func:`identify_sender` for several normalised addresses: one query for them all."""
    wanted = [a for a in dict.fromkeys(addresses) if a]
    contacts = _active_contacts(vendor.pk, wanted) if vendor is not None and wanted else {}
    senders = {}
    for address in dict.fromkeys(addresses):
        contact = contacts.get(address)
        if contact is not None:
            org = contact.organization
            senders[address] = Sender(address, contact, org, True, contact.language or "cs")
            continue
        senders[address] = Sender(address)
        domain = _domain(address)
        if vendor is not None and domain:
            orgs = [o for o in _organizations_with_domains(vendor.pk) if domain in _domains(o)]
            if len(orgs) == 1:  # an ambiguous domain identifies nobody
                senders[address] = Sender(address, None, orgs[0], False, orgs[0].language or "cs")
    return senders


def cached_organization(pk: int) -> Organization:
    """The organisation, from the configuration cache (shared: read only)."""
    return configcache.cached("organization", pk, lambda: Organization.objects.get(pk=pk))


def _organizations_with_domains(vendor_id: int) -> list[Organization]:
    def load():
        return list(Organization.objects.filter(vendor_id=vendor_id).exclude(email_domains=[]))

    return configcache.cached("organizations_with_domains", vendor_id, load)


# Every message asks who sent it and which ticket it continues: plain SQL (indexed look-ups,
# the contact through the index on LOWER(email)) skips the ORM's query building, which costs
# several times the query itself.
_CONTACTS_SQL = """
    SELECT c.* FROM customers_contact c
    JOIN customers_organization o ON o.id = c.organization_id
    WHERE LOWER(c.email) IN ({addresses}) AND o.vendor_id = %s AND c.is_active
    ORDER BY c.id"""
_IS_CONTACT_SQL = """
    SELECT 1 FROM customers_contact
    WHERE LOWER(email) = %s AND (id = %s OR (organization_id = %s AND is_active))
    LIMIT 1"""
_BY_MESSAGE_ID_SQL = """
    SELECT 0, o.message_id, o.ticket_id FROM mail_outboundmessage o
    JOIN tickets_ticket t ON t.id = o.ticket_id
    WHERE o.message_id IN ({ids}) {vendor}
    UNION ALL
    SELECT 1, a.message_id, a.ticket_id FROM tickets_article a
    JOIN tickets_ticket t ON t.id = a.ticket_id
    WHERE a.message_id IN ({ids}) {vendor}"""
_TICKET_SQL = "SELECT * FROM tickets_ticket WHERE id = %s"
_BY_NUMBER_SQL = "SELECT number, id FROM tickets_ticket WHERE number IN ({numbers}) {vendor}"


def _active_contacts(vendor_id: int, addresses: list[str]) -> dict[str, Contact]:
    """The vendor's active contact for each address (lower-cased; the oldest when several),
    with its organisation."""
    sql = _CONTACTS_SQL.format(addresses=placeholders(addresses))
    found: dict[str, Contact] = {}
    for contact in Contact.objects.raw(sql, [*addresses, vendor_id]):
        if contact.email.lower() not in found:
            contact.organization = cached_organization(contact.organization_id)
            found[contact.email.lower()] = contact
    return found


def _is_contact(address: str, contact_id: int | None, organization_id: int | None) -> bool:
    """Is ``address`` the ticket's contact, or an active contact of its organisation?"""
    with connection.cursor() as cursor:
        cursor.execute(_IS_CONTACT_SQL, [address, contact_id, organization_id])
        return cursor.fetchone() is not None


def _tickets_by_message_id(ids: list[str], vendor_id: int | None) -> dict[str, int]:
    """{Message-ID: ticket id} of our own mail and of stored articles; our mail wins."""
    vendor = "AND t.vendor_id = %s" if vendor_id is not None else ""
    params = [*ids, vendor_id] if vendor_id is not None else ids
    sql = _BY_MESSAGE_ID_SQL.format(ids=placeholders(ids), vendor=vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, params * 2)
        rows = sorted(cursor.fetchall(), key=lambda row: row[0])  # outbound first
    found: dict[str, int] = {}
    for _source, mid, ticket_id in rows:
        found.setdefault(mid, ticket_id)
    return found


def _tickets_by_number(numbers: list[str], vendor_id: int | None) -> dict[str, int]:
    sql = _BY_NUMBER_SQL.format(
        numbers=placeholders(numbers),
        vendor="AND vendor_id = %s" if vendor_id is not None else "",
    )
    params = [*numbers, vendor_id] if vendor_id is not None else numbers
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def _ticket(pk: int) -> Ticket:
    return next(iter(Ticket.objects.raw(_TICKET_SQL, [pk])))


def cc_contacts(organization, addresses: list[str], exclude: set[str], limit: int) -> list[str]:
    """The addresses among ``addresses`` that are active contacts of ``organization``."""
    if organization is None or limit <= 0:
        return []
    wanted = [normalise_address(a) for a in addresses]
    wanted = [a for a in dict.fromkeys(wanted) if a and a not in exclude]
    if not wanted:
        return []
    known = {
        (e or "").lower()
        for e in Contact.by_email_in(wanted)
        .filter(organization=organization, is_active=True)
        .values_list("email", flat=True)
    }
    return [a for a in wanted if a in known][:limit]
