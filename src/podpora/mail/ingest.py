"""The one ingest service: raw bytes in, a ticket, a follow-up or a quarantined row out.

Transports (the IMAP poller, the LMTP listener, the MTA pipe) only fetch bytes and call
:func:`receive`, which stores them durably (fsync'd blob, then a row in state ``received``,
committed and flushed) before anything else happens; only then may a transport acknowledge
the message (flag it on IMAP, answer 250 over LMTP, exit 0 to the MTA). :func:`process`
then parses (pure), classifies loops, threads and applies the result in its own transaction
through ``tickets/services.py``; :func:`process_batch` does the same for messages that came
together, 25 to a transaction, asking what they look up once for the batch
(:mod:`.lookups`). Whatever goes wrong ends in state ``quarantined`` with a reason: never an
exception to the caller, never a dropped message (research/reliability-security.md 2.1, 2.3).

Outcomes, by reason code (``InboundMessage.reason``):

- ticket created or follow-up added (a reply's quoted history folded, in text and HTML;
  contacts of the organisation it copies joining the ticket): state ``processed``, reason
  "" (or "collector" when the sender is served through the collector and the message was
  recorded as the collector records a question, "foreign_reply"
  when a reply from an outsider became a new ticket, "closed_ticket" when a reply to a
  closed ticket did (linked to it), "auto_reply" when an automatic answer was added to its
  ticket as an internal note, "bounce" when a bounce was);
- ``quarantined``: "too_large", "bounce" (no ticket of ours bounced), "foreign_reply"
  (policy), "auto_reply" (a machine we do not know), "no_mailbox" (the pipe got mail for no
  address of ours), "error" (anything unexpected; ``detail`` says what);
- ``ignored``: "own_loop" (our own mail came back), "unknown_sender" (answered with a
  pointer to the portal, per policy), "end_user" (an end user of a customer, who may not
  file requests: answered with the organisation's authorised persons), "duplicate" (the same message already made a ticket
  through another mailbox).

Automatic mail (the ticket-created acknowledgement, the unknown-sender answer) goes only to
mail a person wrote (``loops.classify`` says "normal") and through the rate caps of
:func:`auto_reply_allowed`; otherwise the ticket is made with ``NewTicket(notify=False)``.
Both are queued as tasks after the commit, never sent from inside the ingest.

Routing data (our own addresses, the mailboxes with their team and product) comes from
:mod:`.routing`, cached per process until the configuration changes (``core.configcache``).
The questions asked of every message (its row's outcome, its sender, its thread) are plain
SQL: the ORM's query building cost more than the queries.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import logging
import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from podpora.accounts import access
from podpora.core import configcache, storage
from podpora.core.html import html_to_text, sanitize_html
from podpora.core.models import Blob
from podpora.core.queue import enqueue
from podpora.core.rows import insert_unless_taken, placeholders
from podpora.customers import services as customer_services
from podpora.customers.collector import collector_route
from podpora.tickets import events, notify, services
from podpora.tickets.models import Article, Ticket, TicketLink
from podpora.tickets.rules import State as TicketState

from . import identify_text, loops, tasks, threading
from .htmlquote import split_html
from .lookups import Item, Lookups
from .models import AutoReplyLog, InboundMessage, Mailbox, OutboundMessage
from .parse import ParsedMessage, message_ids, parse_message
from .quoting import split_reply
from .routing import forget_routing, routing_data

log = logging.getLogger(__name__)

State = InboundMessage.State

MAX_RECIPIENTS = 200  # To and Cc each, as parsed; the rest of a 10,000-address Cc is dropped
MAX_CC_ON_TICKET = 20
MAX_BODY_CHARS = 500_000
MAX_HEADER_SCAN = 256 * 1024
STALE_RECEIVED = timedelta(minutes=2)
# A customer's message does not reopen these (tickets/rules.py): a reply starts a new ticket.
CLOSED_STATES = frozenset({TicketState.CLOSED, TicketState.REJECTED})


# --------------------------------------------------------------------------- receive


def header_message_id(raw: bytes) -> str:
    """The Message-ID from the header block only (cheap, before any parsing); "" if none."""
    head = raw[:MAX_HEADER_SCAN]
    match = re.search(rb"\r?\n\r?\n", head)
    if match:
        head = head[: match.start()]
    found = re.search(rb"(?im)^message-id[ \t]*:(.*(?:\r?\n[ \t].*)*)", head)
    if not found:
        return ""
    ids = message_ids(found.group(1).decode("latin-1"))
    return ids[0] if ids and len(ids[0]) <= 250 else ""


def body_digest(raw: bytes) -> str:
    """SHA-256 of everything after the header block: relays add headers, not body bytes."""
    match = re.search(rb"\r?\n\r?\n", raw)
    body = raw[match.end() :] if match else b""
    return hashlib.sha256(body.replace(b"\r\n", b"\n")).hexdigest()


def _existing(mailbox, key: str) -> InboundMessage | None:
    """The row already recorded under ``key``; ``is_new`` is False on it (True on a row
    :func:`receive` has just made)."""
    qs = InboundMessage.objects.filter(dedup_key=key)
    qs = qs.filter(mailbox=mailbox) if mailbox is not None else qs.filter(mailbox__isnull=True)
    row = qs.first()
    if row is not None:
        row.is_new = False
    return row


def receive(raw: bytes, mailbox: Mailbox | None = None, *, now=None) -> InboundMessage:
    """Store ``raw`` durably and record it in state ``received``; the same message again
    returns the row it made the first time. Raises only when the message could not be
    stored (database or storage down): the transport must then not acknowledge it."""
    raw = bytes(raw)
    raw_sha256 = hashlib.sha256(raw).hexdigest()
    body_sha256 = body_digest(raw)
    message_id = header_message_id(raw)
    return _record(mailbox, message_id, raw_sha256, body_sha256, len(raw), now, raw=raw)


@contextlib.contextmanager
def _durable_commit():
    """The commit that lets a transport acknowledge a message must survive a power cut.

    PostgreSQL flushes every commit (synchronous_commit). SQLite runs with
    ``synchronous=NORMAL`` (WAL) for speed, which survives a crash of the process but not
    of the machine; for this one commit it switches to FULL. The commits that follow
    (processing) may stay NORMAL: if one is lost, the row is still ``received`` and the
    retry job processes it again."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous=FULL")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=NORMAL")


@contextlib.contextmanager
def receiving_batch():
    """Receive several messages in one transaction (one flushed commit, not one each).

    For a transport that acknowledges a whole batch at once (the IMAP poller marks a batch
    in one command): nothing may be acknowledged before the block has ended; if it raises,
    none of the batch was recorded and all of it will be fetched again."""
    with _durable_commit(), transaction.atomic(), storage.rows_together():
        yield


def _record(
    mailbox,
    message_id: str,
    raw_sha256: str,
    body_sha256: str,
    size: int,
    now,
    raw: bytes | None = None,
    state: str = State.RECEIVED,
    reason: str = "",
    detail_code: str = "",
    detail_params: dict | None = None,
) -> InboundMessage:
    """Insert the row, or return the one this message made before.

    The unique key decides, not a look-up first: a new message (nearly every one) costs one
    INSERT. Its key is the Message-ID, or the raw digest when there is none; when the
    Message-ID is taken by a different message (the body differs too: a sender that reuses
    IDs), the key becomes the Message-ID with the raw digest."""
    keys = [f"mid:{message_id}", f"mid:{message_id}|{raw_sha256}"] if message_id else []
    keys = keys or [f"sha256:{raw_sha256}"]
    with _durable_commit(), transaction.atomic():
        blob = storage.store(raw) if raw is not None else Blob.objects.get(sha256=raw_sha256)
        for key in keys:
            row = InboundMessage(
                mailbox=mailbox,
                message_id=message_id,
                dedup_key=key,
                raw_blob=blob,
                raw_sha256=raw_sha256,
                body_sha256=body_sha256,
                size=size,
                state=state,
                reason=reason,
                detail_code=detail_code,
                detail_params=detail_params or {},
                received_at=now or timezone.now(),
            )
            if insert_unless_taken(row):
                row.is_new = True
                return row
            # recorded before (or by a concurrent delivery of the same message)
            existing = _existing(mailbox, key)
            if existing is None:
                raise RuntimeError("inbound message vanished after a unique-key conflict")
            same = existing.raw_sha256 == raw_sha256 or existing.body_sha256 == body_sha256
            if same or key != keys[0]:
                return existing  # the same message again (perhaps through another relay)
    raise AssertionError("unreachable")


def receive_stream(stream, mailbox: Mailbox | None = None, *, now=None) -> InboundMessage:
    """Like :func:`receive` for a file object (the MTA pipe): a message over
    ``MAX_MESSAGE_BYTES`` is streamed to storage, never held in memory, and quarantined."""
    limit = settings.MAX_MESSAGE_BYTES
    head = stream.read(limit + 1)
    if len(head) <= limit:
        return receive(head, mailbox, now=now)
    rest = iter(lambda: stream.read(1024 * 1024), b"")
    raw_sha256, size = storage.write_stream(itertools.chain([head], rest))
    message_id = header_message_id(head)
    body_sha256 = raw_sha256  # not computed for huge messages; the raw digest stands in
    Blob.objects.get_or_create(sha256=raw_sha256, defaults={"size": size})
    return _record(
        mailbox,
        message_id,
        raw_sha256,
        body_sha256,
        size,
        now,
        state=State.QUARANTINED,
        reason="too_large",
        detail_code="too_large",
        detail_params=_sizes(size),
    )


def receive_oversized_headers(
    header_bytes: bytes, size: int, mailbox: Mailbox | None = None, *, now=None
) -> InboundMessage:
    """An IMAP message over the limit: keep its header block, quarantined; the message
    itself stays on the server (the poller moves or flags it, never deletes it)."""
    raw_sha256 = hashlib.sha256(header_bytes).hexdigest()
    message_id = header_message_id(header_bytes)
    return _record(
        mailbox,
        message_id,
        raw_sha256,
        raw_sha256,
        size,
        now,
        raw=header_bytes,
        state=State.QUARANTINED,
        reason="too_large",
        detail_code="too_large_headers",
        detail_params=_sizes(size),
    )


def _signal(verdict) -> dict:
    """What the loop check saw, as the outcome's code and values."""
    return {"code": verdict.code, "params": dict(verdict.params)}


def _sizes(size: int) -> dict:
    return {"size": size, "limit": settings.MAX_MESSAGE_BYTES}


# --------------------------------------------------------------------------- process


@dataclass
class Outcome:
    state: str
    reason: str = ""
    detail: str = ""  #: free text nobody translates (an error's)
    ticket: Ticket | None = None
    article: Article | None = None
    code: str = ""  #: what it says, as a code of ``mail.evidence``…
    params: dict = field(default_factory=dict)  #: …and its values


@dataclass
class Route:
    """Where a message goes: its mailbox's settings, or the vendor defaults."""

    vendor: object | None
    mailbox: Mailbox | None = None
    team: object | None = None
    product: object | None = None
    unknown_sender_policy: str = Mailbox.UnknownSenderPolicy.TICKET_UNVERIFIED
    foreign_reply_policy: str = Mailbox.ForeignReplyPolicy.NEW_TICKET
    own_addresses: set[str] = field(default_factory=set)


def process(inbound: InboundMessage, *, now=None) -> InboundMessage:
    """Apply a received message; a no-op for one already processed. Never raises."""
    return _run(inbound, (State.RECEIVED,), trusted=False, now=now)


def reprocess(inbound: InboundMessage, *, now=None) -> InboundMessage:
    """Run a quarantined or ignored message through the rules again (after fixing a
    mailbox or adding a contact)."""
    return _run(inbound, (State.QUARANTINED, State.IGNORED, State.RECEIVED), False, now=now)


def release(inbound: InboundMessage, actor, *, now=None) -> InboundMessage:
    """Staff vouch for the message: it lands on its thread's ticket whoever sent it, or as
    a new ticket; loop and size checks are skipped, automatic answers still are not sent."""
    return _run(inbound, (State.QUARANTINED, State.IGNORED), True, actor=actor, now=now)


class _Taken(Exception):
    """Another worker finished the message first: this one's work is rolled back."""


def _run(inbound, expected: tuple, trusted: bool, actor=None, now=None) -> InboundMessage:
    """Parse, then apply in one transaction that ends by moving the row out of ``expected``
    with a conditional UPDATE. There is no lock taken up front: of two workers on the same
    message, the second one's UPDATE waits for the first one's commit, finds the row moved
    on and rolls back everything it did (tickets, notifications), so it counts once."""
    if inbound.state not in expected:
        return inbound
    now = now or timezone.now()
    parsed = None
    try:
        parsed = _parse(inbound, trusted)
        with transaction.atomic(), configcache.one_read():  # ingest writes no configuration
            lookups = Lookups([_item(inbound, parsed)] if parsed else [], now)
            _apply_and_save(inbound, parsed, expected, trusted, actor, now, lookups)
            lookups.write()
        return inbound
    except _Taken:
        inbound.refresh_from_db()
        return inbound
    except Exception as exc:  # noqa: BLE001 - a message must never be lost to a bug
        log.exception("inbound message %s quarantined", inbound.pk)
        outcome = Outcome(State.QUARANTINED, "error", f"{type(exc).__name__}: {exc}"[:2000])
        try:
            inbound.refresh_from_db()
            if inbound.state in expected:
                if parsed is not None:
                    _describe(inbound, parsed)  # so the quarantine list says what it is
                _save(inbound, outcome, now, expected)
        except _Taken:
            inbound.refresh_from_db()
        except Exception:  # noqa: BLE001 - database down: the row stays for a later retry
            log.exception("could not quarantine inbound message %s", inbound.pk)
        return inbound


def _describe(inbound: InboundMessage, parsed: ParsedMessage) -> None:
    inbound.message_id = (parsed.message_id or inbound.message_id)[:250]
    inbound.from_address = (parsed.from_address or "")[:320]
    inbound.subject = (parsed.subject or "")[:250]


def _parse(inbound: InboundMessage, trusted: bool) -> ParsedMessage | None:
    """The parsed message; None when it is over the size limit (kept raw, never parsed)
    and staff have not released it."""
    if inbound.size > settings.MAX_MESSAGE_BYTES and not trusted:
        return None
    return parse_message(storage.read(inbound.raw_sha256), max_recipients=MAX_RECIPIENTS)


def _item(inbound: InboundMessage, parsed: ParsedMessage) -> Item:
    return Item(_route(inbound, parsed).vendor, parsed, inbound.body_sha256)


def _apply_and_save(inbound, parsed, expected, trusted, actor, now, lookups: Lookups) -> None:
    """Apply one message (``parsed`` None: too large) and record its outcome, inside the
    caller's transaction."""
    if parsed is None:
        outcome = Outcome(
            State.QUARANTINED, "too_large", code="too_large", params=_sizes(inbound.size)
        )
    else:
        outcome = _apply(inbound, parsed, trusted, now, lookups)
    if trusted and outcome.state in (State.PROCESSED, State.IGNORED):
        outcome.state = State.RELEASED
        inbound.released_by = actor if getattr(actor, "pk", None) else None
    _save(inbound, outcome, now, expected)
    if outcome.state in (State.PROCESSED, State.RELEASED) and outcome.ticket is not None:
        threadable = outcome.article is not None and bool(outcome.article.message_id)
        lookups.filed(parsed, inbound.body_sha256, outcome.ticket, threadable)


def _save(inbound: InboundMessage, outcome: Outcome, now, expected) -> None:
    """Record the outcome, only if the row is still in one of the ``expected`` states
    (raises :class:`_Taken` otherwise)."""
    inbound.state = outcome.state
    inbound.reason = outcome.reason
    inbound.detail = outcome.detail
    inbound.detail_code = outcome.code
    inbound.detail_params = outcome.params
    if outcome.ticket is not None:
        inbound.ticket = outcome.ticket
    if outcome.article is not None:
        inbound.article = outcome.article
    inbound.attempts += 1
    inbound.processed_at = now
    values = [f.get_db_prep_save(getattr(inbound, f.attname), connection) for f in _SAVED]
    columns = ", ".join(f"{f.column} = %s" for f in _SAVED)
    with connection.cursor() as cursor:  # plain SQL: once per message, as in lookups.py
        cursor.execute(
            f"UPDATE mail_inboundmessage SET {columns}"
            f" WHERE id = %s AND state IN ({placeholders(expected)})",
            [*values, inbound.pk, *expected],
        )
        if cursor.rowcount != 1:
            raise _Taken


_SAVED = [
    InboundMessage._meta.get_field(name)
    for name in (
        "state", "reason", "detail", "detail_code", "detail_params", "ticket", "article", "attempts", "processed_at",
        "message_id", "classification", "from_address", "subject", "released_by", "vendor",
    )
]  # fmt: skip


def _route(inbound: InboundMessage, parsed: ParsedMessage) -> Route:
    routing = routing_data()
    own = set(routing.own_addresses)
    mailbox = None
    if inbound.mailbox_id:
        mailbox = routing.mailboxes.get(inbound.mailbox_id)
        if mailbox is None:  # made after the cache was filled
            forget_routing()
            routing = routing_data()
            mailbox = routing.mailboxes[inbound.mailbox_id]
    else:
        recipients = [threading.normalise_address(a) for _n, a in [*parsed.to, *parsed.cc]]
        mailbox = next((routing.by_address[a] for a in recipients if a in routing.by_address), None)
    if mailbox is not None:
        return Route(
            mailbox.vendor,
            mailbox,
            mailbox.team,
            mailbox.product,
            mailbox.unknown_sender_policy,
            mailbox.foreign_reply_policy,
            own,
        )
    for _name, address in [*parsed.to, *parsed.cc]:
        vendor = routing.vendors_by_address.get(threading.normalise_address(address))
        if vendor is not None:
            return Route(vendor, own_addresses=own)
    return Route(None, own_addresses=own)


def _apply(
    inbound: InboundMessage, parsed: ParsedMessage, trusted: bool, now, lookups: Lookups
) -> Outcome:
    route = _route(inbound, parsed)
    verdict = loops.classify(parsed, route.own_addresses, settings.MESSAGE_ID_DOMAIN)
    _describe(inbound, parsed)
    inbound.classification = verdict.kind
    if not trusted:
        if verdict.kind == "own_loop":
            return Outcome(State.IGNORED, "own_loop", verdict.reason, **_signal(verdict))
        if verdict.kind == "bounce":
            return _bounce(parsed, verdict, now)
    thread = lookups.thread(parsed, route.vendor)
    if route.vendor is None:
        if thread.ticket is None:
            return Outcome(State.QUARANTINED, "no_mailbox", code="no_mailbox")
        route.vendor = thread.ticket.vendor
    inbound.vendor = route.vendor
    if not trusted and parsed.message_id:
        duplicate = lookups.filed_elsewhere(parsed.message_id, inbound.body_sha256, route.vendor)
        if duplicate is not None:
            return Outcome(State.IGNORED, "duplicate", "", Ticket.objects.get(pk=duplicate))
    sender = lookups.sender(route.vendor, parsed.from_address)
    automatic = verdict.kind != "normal"
    if thread.ticket is not None:
        if trusted or threading.sender_belongs(thread.ticket, sender.address):
            if thread.ticket.state in CLOSED_STATES and not automatic:
                return _after_closed(
                    route, parsed, sender, thread.ticket, now, not automatic, lookups
                )
            return _follow_up(route, thread.ticket, parsed, sender, automatic and not trusted, now)
        if route.foreign_reply_policy == Mailbox.ForeignReplyPolicy.QUARANTINE:
            params = {"sender": sender.address or "?", "number": thread.ticket.number}
            return Outcome(
                State.QUARANTINED,
                "foreign_reply",
                ticket=thread.ticket,
                code="foreign_sender",
                params=params,
            )
    if verdict.kind == "auto_reply" and not trusted:
        # An out-of-office notice that answers no ticket of ours is nobody's request: it must
        # not open one with a running SLA. An agent may still release it as a ticket.
        return Outcome(State.QUARANTINED, "auto_reply", verdict.reason, **_signal(verdict))
    if thread.ticket is None and sender.contact is None:  # InTouch: who they say they are
        text = f"{parsed.from_name or ''}\n{_subject(parsed)}\n{_body(parsed)}"
        sender = identify_text.sender_from_text(route.vendor, sender, text)
    if not sender.known and not trusted:
        if route.unknown_sender_policy == Mailbox.UnknownSenderPolicy.AUTOREPLY:
            answered = not automatic and _answer_unknown_sender(
                route, parsed, sender.address, now, lookups
            )
            code = "unknown_sender_answered" if answered else ""
            return Outcome(State.IGNORED, "unknown_sender", code=code)
    if sender.contact is not None and not access.may_file(sender.contact, timezone.localdate(now)):
        answered = not automatic and _answer_end_user(route, parsed, sender, now, lookups)
        code = "end_user_answered" if answered else "end_user"
        return Outcome(State.IGNORED, "end_user", code=code)
    channel = "email"
    if collector_route(
        route.vendor, sender.organization, sender.contact, "email", timezone.localdate(now)
    ):
        # served through the collector (HR Plus: a one-time order, a prospect, a company not
        # in the register): recorded as the collector records it, a question answered at the
        # address it came from with the private link, never a request under an SLA
        channel = "webform"
    outcome = _new_ticket(
        route, parsed, sender, now, verdict.kind == "normal", lookups, channel=channel
    )
    if channel == "webform":
        outcome.reason = "collector"
        outcome.code = "collector"
    if thread.ticket is not None:
        outcome.reason = "foreign_reply"
        outcome.code = "foreign_reply_filed"
        outcome.params = {"number": thread.ticket.number}
    return outcome


# --------------------------------------------------------------------------- applying


def _body(parsed: ParsedMessage) -> str:
    text = (parsed.text_body or "").strip("\n")[:MAX_BODY_CHARS]
    return text


def _files(parsed: ParsedMessage) -> list[services.IncomingFile]:
    return [
        services.IncomingFile(
            filename=a.filename,
            content_type=(a.content_type or "application/octet-stream")[:120],
            content=a.content,
            content_id=(a.content_id or "")[:250],
            inline=a.inline,
        )
        for a in parsed.attachments
    ]


def _html(parsed: ParsedMessage) -> str:
    return sanitize_html(parsed.html_body) if parsed.html_body else ""


def _reply_html(parsed: ParsedMessage) -> tuple[str, str]:
    """(sanitised HTML of what the person wrote now, raw HTML of the quoted history)."""
    if not parsed.html_body:
        return "", ""
    new_html, quoted_html = split_html(parsed.html_body)
    return sanitize_html(new_html), quoted_html


def _subject(parsed: ParsedMessage) -> str:
    subject = " ".join((parsed.subject or "").split())[:250]
    return subject or _("(bez předmětu)")


def _new_ticket(
    route: Route,
    parsed: ParsedMessage,
    sender,
    now,
    acknowledge: bool,
    lookups: Lookups,
    *,
    channel: str = "email",
) -> Outcome:
    """A new ticket; ``acknowledge``: the sender may get the ticket-created mail (a person
    wrote, and the rate caps allow one more automatic mail to them)."""
    exclude = route.own_addresses | {sender.address}
    cc = threading.cc_contacts(
        sender.organization,
        [a for _n, a in [*parsed.cc, *parsed.to]],
        exclude,
        MAX_CC_ON_TICKET,
    )
    files = _files(parsed)
    body = _body(parsed)
    if not body.strip() and not files:
        body = _("(zpráva bez textu)")
    acknowledge_to = threading.normalise_address(
        sender.contact.email if sender.contact and sender.contact.email else sender.address
    )
    acknowledge = acknowledge and auto_reply_allowed(
        acknowledge_to, None, "ticket_created", now=now, history=lookups.auto_reply_history
    )
    version = identify_text.version_from_text(
        route.vendor, route.product, f"{_subject(parsed)}\n{body}"
    )
    function = customer_services.function_named_in(
        sender.organization, f"{_subject(parsed)}\n{body}"
    )
    data = services.NewTicket(
        vendor=route.vendor,
        implemented_function=function,
        subject=_subject(parsed),
        body=body,
        channel=channel,
        organization=sender.organization,
        contact=sender.contact,
        requester_email=sender.address[:254],
        requester_name=(parsed.from_name or "")[:160],
        sender_verified=sender.verified,
        product=route.product or (version.product if version else None),
        version=version,
        language=sender.language,
        cc=cc,
        body_html=_html(parsed),
        message_id=(parsed.message_id or "")[:250],
        files=files,
        team=route.team,
        notify=acknowledge,
    )
    ticket = services.create_ticket(data, actor=None, now=now)
    if acknowledge:
        lookups.auto_replied(acknowledge_to, now, ticket, "ticket_created")
    return Outcome(State.PROCESSED, "", "", ticket, ticket.opening_article)


def _follow_up(
    route: Route, ticket: Ticket, parsed: ParsedMessage, sender, automatic: bool, now
) -> Outcome:
    if automatic:
        # An out-of-office answer to our notification is not the customer's reply: it must
        # not reopen the ticket or stop a clock, and nobody answers it.
        body = _("Automatická odpověď od %(sender)s:") % {"sender": sender.address or "?"}
        body += "\n\n" + (_body(parsed) or _subject(parsed))
        note = services.add_note(ticket, body, actor=None, channel="email", now=now)
        return Outcome(State.PROCESSED, "auto_reply", "", ticket, note)
    language = sender.language if sender.known else ticket.language
    new_text, quoted = split_reply(_body(parsed), language)
    if not new_text.strip() and quoted.strip():
        new_text, quoted = quoted, ""
    body_html, quoted_html = _reply_html(parsed)
    if quoted_html and not quoted.strip():
        quoted = html_to_text(quoted_html)  # folded from the HTML only: still shown as text
    files = _files(parsed)
    if not new_text.strip() and not files:
        new_text = _("(zpráva bez textu)")
    contact = sender.contact
    if contact is not None and ticket.organization_id != contact.organization_id:
        contact = None
    label = (f"{parsed.from_name} <{sender.address}>" if parsed.from_name else sender.address)[:320]
    on_ticket = {threading.normalise_address(a) for a in [ticket.requester_email, *ticket.cc]}
    cc = threading.cc_contacts(
        ticket.organization,
        [a for _n, a in [*parsed.cc, *parsed.to]],
        route.own_addresses | {sender.address} | on_ticket,
        max(MAX_CC_ON_TICKET - len(ticket.cc), 0),
    )
    article = services.add_customer_message(
        ticket,
        new_text,
        contact=contact,
        channel="email",
        body_html=body_html,
        quoted=quoted,
        message_id=(parsed.message_id or "")[:250],
        sender=label,
        files=files,
        cc=cc,
        now=now,
    )
    if ticket.contact_id is None and ticket.entitlement_reason == "not_identified":
        # who they are, as we asked in the acknowledgement, given in the reply (InTouch)
        told = identify_text.sender_from_text(
            ticket.vendor,
            threading.Sender(sender.address, None, ticket.organization),
            f"{parsed.from_name or ''}\n{new_text}",
        )
        if told.contact is not None:
            ticket = services.set_ticket_facts(
                ticket,
                actor=None,
                channel="email",
                organization=told.organization,
                contact=told.contact,
            )
    if ticket.version_id is None:  # the version we asked for, given in the reply
        version = identify_text.version_from_text(ticket.vendor, ticket.product, new_text)
        if version is not None:
            services.set_ticket_facts(
                ticket, actor=None, channel="email", product=version.product, version=version
            )
    return Outcome(State.PROCESSED, "", "", ticket, article)


def _after_closed(
    route: Route, parsed: ParsedMessage, sender, closed: Ticket, now, acknowledge: bool, lookups
) -> Outcome:
    """A closed ticket stays closed (rules): the reply opens a new ticket linked to it, so
    it reaches the agents instead of sinking into a finished one."""
    outcome = _new_ticket(route, parsed, sender, now, acknowledge, lookups)
    services.link_tickets(
        outcome.ticket, closed, TicketLink.Kind.RELATED, actor=None, channel="email"
    )
    outcome.reason = "closed_ticket"
    outcome.code = "closed_ticket"
    outcome.params = {"number": closed.number}
    return outcome


def _bounce(parsed: ParsedMessage, verdict, now) -> Outcome:
    original = loops.bounced_message_id(parsed, settings.MESSAGE_ID_DOMAIN)
    record = (
        OutboundMessage.objects.filter(message_id=original, ticket__isnull=False)
        .select_related("ticket")
        .first()
        if original
        else None
    )
    if record is None:
        return Outcome(State.QUARANTINED, "bounce", verdict.reason, **_signal(verdict))
    OutboundMessage.objects.filter(pk=record.pk).update(
        status=OutboundMessage.Status.FAILED, error=f"bounce: {parsed.subject}"[:2000]
    )
    body = _("E-mail „%(subject)s“ pro %(to)s se nepodařilo doručit.") % {
        "subject": record.subject,
        "to": ", ".join(record.recipients),
    }
    body += "\n\n" + _body(parsed)[:20000]
    note = services.add_note(record.ticket, body, actor=None, channel="email", now=now)
    return Outcome(
        State.PROCESSED, "bounce", verdict.reason, record.ticket, note, **_signal(verdict)
    )


# --------------------------------------------------------------------------- automatic mail


def auto_reply_allowed(
    address: str, ticket=None, kind: str = "", *, now=None, history=None
) -> bool:
    """The backstop for loops whose headers say nothing: per address (loops.allow_auto_reply,
    3 an hour and 40 a day by default) and per ticket (10 in 10 minutes)."""
    address = threading.normalise_address(address)
    if not address or notify.is_muted():
        return False
    now = now or timezone.now()
    history = history or Lookups([], now).auto_reply_history  # (address) -> sent in a day
    if not loops.allow_auto_reply(
        list(history(address)),
        now,
        per_hour=settings.MAIL_AUTO_REPLIES_PER_HOUR,
        per_day=settings.MAIL_AUTO_REPLIES_PER_DAY,
    ):
        log.info("automatic %s to %s suppressed by the rate cap", kind, address)
        return False
    if ticket is not None:
        recent = AutoReplyLog.objects.filter(
            ticket=ticket, created_at__gt=now - timedelta(minutes=10)
        ).count()
        if recent >= settings.MAIL_AUTO_REPLIES_PER_TICKET:
            return False
    return True


def _answer_unknown_sender(
    route: Route, parsed: ParsedMessage, address: str, now, lookups: Lookups
) -> bool:
    """Point an unknown sender to the portal and the public form (rate-capped)."""
    if not address or parsed.return_path == "" or address in route.own_addresses:
        return False
    history = lookups.auto_reply_history
    if not auto_reply_allowed(address, None, "unknown_sender", now=now, history=history):
        return False
    lookups.auto_replied(address, now, None, "unknown_sender")
    vendor_id = route.vendor.pk
    sender = route.mailbox.address if route.mailbox else settings.DEFAULT_FROM_EMAIL
    subject, in_reply_to = parsed.subject, parsed.message_id
    enqueue(tasks.answer_unknown_sender, vendor_id, address, sender, subject, in_reply_to)
    return True


def _answer_end_user(route: Route, parsed: ParsedMessage, sender, now, lookups: Lookups) -> bool:
    """Tell an end user that only authorised persons file requests, and who they are
    (rate-capped like every automatic answer)."""
    address = sender.address
    if not address or parsed.return_path == "" or address in route.own_addresses:
        return False
    history = lookups.auto_reply_history
    if not auto_reply_allowed(address, None, "end_user", now=now, history=history):
        return False
    lookups.auto_replied(address, now, None, "end_user")
    sent_by = route.mailbox.address if route.mailbox else settings.DEFAULT_FROM_EMAIL
    subject, in_reply_to = parsed.subject, parsed.message_id
    enqueue(tasks.answer_end_user, sender.contact.pk, address, sent_by, subject, in_reply_to)
    return True


# --------------------------------------------------------------------------- retries


def process_stale(limit: int = 100, *, older_than: timedelta = STALE_RECEIVED) -> int:
    """Process rows left in ``received`` (a crash between storing and applying)."""
    cutoff = timezone.now() - older_than
    rows = list(
        InboundMessage.objects.filter(state=State.RECEIVED, received_at__lt=cutoff).order_by(
            "received_at", "pk"
        )[:limit]
    )
    process_batch(rows)
    return len(rows)


# --------------------------------------------------------------------------- batches


def process_batch(rows: list[InboundMessage], *, now=None) -> list[InboundMessage]:
    """:func:`process` for several received messages, in order, :data:`BATCH_SIZE` to a
    transaction: what they look up is read once for the batch (see :mod:`.lookups`), their
    history entries are written in one INSERT, and one commit serves them all.

    The outcome is the one processing them one at a time would give. If anything in a batch
    fails (a bug, a message another worker took meanwhile, the database), the batch is rolled
    back as a whole and its messages are processed one at a time, each quarantined on its
    own error: a savepoint per message would cost two round trips each on PostgreSQL."""
    now = now or timezone.now()
    first = {}  # a message delivered twice in one batch (two objects, one row) counts once
    for row in rows:
        if row.state == State.RECEIVED:
            first.setdefault(row.pk, row)
    todo = list(first.values())
    for start in range(0, len(todo), BATCH_SIZE):
        chunk = todo[start : start + BATCH_SIZE]
        try:
            _process_together(chunk, now)
        except Exception:  # noqa: BLE001 - rolled back: one at a time, as process() does
            log.info("a batch of %s messages is processed one by one", len(chunk), exc_info=True)
            for row in chunk:
                try:
                    row.refresh_from_db()  # forget what the rolled-back attempt set
                except Exception:  # noqa: BLE001 - database down: the retry job comes back
                    log.exception("inbound message %s left for the retry job", row.pk)
                    continue
                process(row, now=now)
    for row in rows:
        original = first.get(row.pk)
        if original is not None and original is not row:  # the outcome of its first copy
            for f in InboundMessage._meta.concrete_fields:
                setattr(row, f.attname, getattr(original, f.attname))
    return rows


BATCH_SIZE = 25  # holds SQLite's write lock for about a quarter of a second


def _process_together(rows: list[InboundMessage], now) -> None:
    parsed = [_parse(row, False) for row in rows]
    expected = (State.RECEIVED,)
    with transaction.atomic(), configcache.one_read(), events.batched(), storage.rows_together():
        lookups = Lookups([_item(r, p) for r, p in zip(rows, parsed, strict=True) if p], now)
        for row, message in zip(rows, parsed, strict=True):
            _apply_and_save(row, message, expected, False, None, now, lookups)
        lookups.write()
