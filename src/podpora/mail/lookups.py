"""What applying messages looks up, asked once for a whole batch.

Every message asks the same questions: who sent it, which ticket it continues, whether the
very same message was filed already through another mailbox, and how much automatic mail
its sender got lately. :class:`Lookups` answers each with one query for all the messages of
a batch (an IMAP fetch, the retry job), made at the first question, and learns what the
batch files meanwhile, so every answer is the one that processing the messages one at a
time would have given; the automatic mail it sends is recorded in one INSERT at the end
(:meth:`Lookups.write`). A single message is a batch of one: the same questions, the same
queries. A question about something not announced (a vendor found only by threading) is
looked up alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection

from podpora.core.rows import placeholders

from .loops import normalise_address
from .models import AutoReplyLog, InboundMessage
from .parse import ParsedMessage
from .threading import Sender, Thread, ThreadIndex, identify_senders

FILED = (InboundMessage.State.PROCESSED, InboundMessage.State.RELEASED)
AUTO_REPLY_WINDOW = timedelta(days=1)  # the longest rate cap (per address and day)

# Plain SQL: asked for every batch, and the ORM's query building would cost more than the
# query (as in threading.py).
_FILED_SQL = """
    SELECT i.message_id, i.body_sha256, i.ticket_id FROM mail_inboundmessage i
    JOIN tickets_ticket t ON t.id = i.ticket_id
    WHERE i.message_id IN ({ids}) AND t.vendor_id = %s AND i.state IN (%s, %s)"""
_AUTO_REPLIES_SQL = (
    "SELECT id, address, created_at FROM mail_autoreplylog WHERE address IN ({addresses})"
    " AND created_at > %s"
)


@dataclass(frozen=True)
class Item:
    """One message as the lookups need it: its vendor (by its route; None when only
    threading can tell), the parsed message and the digest of its body."""

    vendor: object | None
    parsed: ParsedMessage
    body_sha256: str


def _vendor_id(vendor) -> int | None:
    return vendor.pk if vendor is not None else None


class Lookups:
    def __init__(self, items: Iterable[Item], now: datetime):
        self._items = list(items)
        self._since = now - AUTO_REPLY_WINDOW
        self._senders: dict[int | None, dict[str, Sender]] = {}
        self._threads: dict[int | None, ThreadIndex] = {}
        self._filed: dict[int, dict[tuple[str, str], int]] = {}
        self._auto_replies: dict[str, list[datetime]] | None = None
        self._pending: list[AutoReplyLog] = []

    def _announced(self, vendor) -> list[Item]:
        return [i for i in self._items if _vendor_id(i.vendor) == _vendor_id(vendor)]

    # ------------------------------------------------------------------ questions

    def sender(self, vendor, address: str | None) -> Sender:
        """Who wrote (threading.identify_sender)."""
        address = normalise_address(address)
        known = self._senders.get(_vendor_id(vendor))
        if known is None:
            addresses = [normalise_address(i.parsed.from_address) for i in self._announced(vendor)]
            known = self._senders[_vendor_id(vendor)] = identify_senders(vendor, addresses)
        if address not in known:
            known.update(identify_senders(vendor, [address]))
        return known[address]

    def thread(self, parsed: ParsedMessage, vendor) -> Thread:
        """The ticket the message continues (threading.find_ticket)."""
        index = self._threads.get(_vendor_id(vendor))
        if index is None:
            messages = [i.parsed for i in self._announced(vendor)]
            index = self._threads[_vendor_id(vendor)] = ThreadIndex(messages, vendor)
        return index.find(parsed)

    def filed_elsewhere(self, message_id: str, body_sha256: str, vendor) -> int | None:
        """The ticket this very message (same Message-ID and body) already went to,
        through another mailbox of the vendor or the pipe."""
        filed = self._filed.get(vendor.pk)
        if filed is None:
            ids = {i.parsed.message_id for i in self._announced(vendor) if i.parsed.message_id}
            filed = self._filed[vendor.pk] = _filed_messages(ids, vendor.pk)
        if (message_id, body_sha256) not in filed and not any(
            i.parsed.message_id == message_id for i in self._announced(vendor)
        ):
            filed.update(_filed_messages({message_id}, vendor.pk))
        return filed.get((message_id, body_sha256))

    def auto_reply_history(self, address: str) -> list[datetime]:
        """When automatic mail went to ``address`` (normalised) in the last day."""
        if self._auto_replies is None:
            senders = {normalise_address(i.parsed.from_address) for i in self._items}
            self._auto_replies = _auto_replies(senders - {""}, self._since)
        if address not in self._auto_replies:
            self._auto_replies.update(_auto_replies({address}, self._since))
        return self._auto_replies[address]

    # ------------------------------------------------------------------ learning

    def filed(self, parsed: ParsedMessage, body_sha256: str, ticket, threadable: bool) -> None:
        """A message of the batch went to ``ticket`` (as an article with its Message-ID when
        ``threadable``): later ones may reply to it or repeat it."""
        if not parsed.message_id:
            return
        for vendor_id in {ticket.vendor_id, None} if threadable else ():
            if vendor_id in self._threads:
                self._threads[vendor_id].learn(parsed.message_id, ticket.pk)
        if ticket.vendor_id in self._filed:
            self._filed[ticket.vendor_id][(parsed.message_id, body_sha256)] = ticket.pk

    def auto_replied(self, address: str, at: datetime, ticket=None, kind: str = "") -> None:
        """Automatic mail goes to ``address``: counted at once, written by :meth:`write`."""
        self.auto_reply_history(address).append(at)
        self._pending.append(
            AutoReplyLog(address=address, ticket=ticket, kind=kind[:32], created_at=at)
        )

    def write(self) -> None:
        """Write what the batch recorded (one INSERT); call it before the transaction ends."""
        if self._pending:
            AutoReplyLog.objects.bulk_create(self._pending)
            self._pending = []


def _filed_messages(message_ids: set[str], vendor_id: int) -> dict[tuple[str, str], int]:
    if not message_ids:
        return {}
    sql = _FILED_SQL.format(ids=placeholders(message_ids))
    with connection.cursor() as cursor:
        cursor.execute(sql, [*message_ids, vendor_id, *FILED])
        rows = cursor.fetchall()
    found: dict[tuple[str, str], int] = {}
    for message_id, body_sha256, ticket_id in rows:
        found.setdefault((message_id, body_sha256), ticket_id)
    return found


def _auto_replies(addresses: set[str], since: datetime) -> dict[str, list[datetime]]:
    history: dict[str, list[datetime]] = {a: [] for a in addresses}
    if not addresses:
        return history
    sql = _AUTO_REPLIES_SQL.format(addresses=placeholders(addresses))
    since_value = connection.ops.adapt_datetimefield_value(since)
    for row in AutoReplyLog.objects.raw(sql, [*addresses, since_value]):
        history[row.address].append(row.created_at)
    return history
