"""LMTP transport: a long-running listener the MTA delivers to (Postfix ``lmtp:`` transport).

The pipe (``podpora ingest-email``) starts Python and Django for every message, which costs
most of a second; under load the MTA should deliver over LMTP instead. The contract is the
pipe's: the reply to DATA is ``250`` only once the raw message is stored and committed
(``ingest.receive``), ``451`` (the MTA keeps it queued and retries) when it could not be.
Only then is the message processed, in the background, in arrival order; a crash in
between leaves it ``received`` for the retry job. Like the other transports it only hands
over bytes: the ingest does the rest.

Recipients: each ``RCPT TO`` naming one of our mailboxes gets the message filed under that
mailbox (one copy per mailbox, as over IMAP); another address of ours (a vendor's support
address) is filed without a mailbox and routed by its recipients; an address that is not
ours is refused with ``550`` at RCPT time, so the MTA bounces it instead of us losing it.

All database work runs on one worker thread (Django connections are per thread); the
asyncio loop only speaks the protocol. What a client waits for (a recipient look-up, storing
a message) goes first, in the order it came: a reply waits at most for a batch already being
processed, never for the whole backlog. Stored messages wait in arrival order and are
processed together, up to ``ingest.BATCH_SIZE`` at a time (``ingest.process_batch``: one
transaction and one set of look-ups for all of them), once no call has come for ``LINGER``
seconds or a batch is full. The linger is what makes batches out of one connection's
stream: the MTA's next message is on its way when the ``250`` leaves (its DATA takes a few
milliseconds to arrive and be read), and waiting for it costs less than processing each
message alone; it delays the processing of a burst's last message by that much, never a
reply. ``stop`` drains: every stored message is processed.

The MTA delivers over several connections at once (Postfix: up to 20 to one destination).
Their messages waiting to be stored when the worker comes to them are stored together, in
one flushed commit (``ingest.receiving_batch``), and each gets its ``250`` after it: one
fsync of the database for all of them. If that fails, each is stored alone and answered on
its own.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from django.db import connection

from . import ingest
from .models import InboundMessage
from .routing import routing_data
from .threading import normalise_address

log = logging.getLogger(__name__)

OK = "250 2.0.0 Ok: stored"
TEMPFAIL = "451 4.3.0 Temporary failure, message not stored: try again later"
NO_SUCH_USER = "550 5.1.1 No such mailbox here"


LINGER = 0.02  # seconds without a call before the stored messages are processed


@dataclass
class Stats:
    stored: int = 0
    duplicates: int = 0
    failed: int = 0
    processed: dict[str, int] = field(default_factory=dict)  # outcomes of what it processed


def _recipient(address: str):
    """(True, mailbox or None) for an address of ours; (False, None) otherwise."""
    address = normalise_address(address)
    routing = routing_data()
    mailbox = routing.by_address.get(address)
    if mailbox is not None:
        return True, mailbox
    return address in routing.own_addresses, None


class Worker:
    """The one thread that touches the database; see the module docstring for the order."""

    _STOP = object()

    def __init__(self, stats: Stats):
        self.stats = stats
        self._calls: queue.SimpleQueue = queue.SimpleQueue()
        self._stored: list[InboundMessage] = []  # in arrival order, not processed yet
        self._thread = threading.Thread(target=self._run, name="podpora-lmtp", daemon=True)
        self._thread.start()

    def submit(self, fn, *args) -> Future:
        """Run ``fn(*args)`` on the worker, before any processing that is still waiting."""
        future: Future = Future()
        self._calls.put((future, fn, args))
        return future

    def drain(self) -> None:
        """Wait until everything stored so far is processed."""
        self.submit(self._process_stored, True).result()

    def stop(self) -> None:
        """Run what is queued, process everything stored, close the connection, end."""
        self._calls.put(self._STOP)
        self._thread.join()

    def store(self, raw: bytes, mailboxes: list) -> list[str]:
        """On the worker: ``receive`` once per mailbox; the reply for each (250 once stored)."""
        replies = []
        for mailbox in mailboxes:
            try:
                inbound = ingest.receive(raw, mailbox)
            except Exception:  # noqa: BLE001 - not stored: the MTA must keep it
                log.exception("LMTP: message not stored")
                self.stats.failed += 1
                replies.append(TEMPFAIL)
                continue
            self._stored_one(inbound)
            replies.append(OK)
        return replies

    def _stored_one(self, inbound: InboundMessage) -> None:
        if getattr(inbound, "is_new", False):
            self.stats.stored += 1
        else:
            self.stats.duplicates += 1
        if inbound.state == InboundMessage.State.RECEIVED and all(
            row.pk != inbound.pk for row in self._stored
        ):  # new, or left unprocessed by an earlier run
            self._stored.append(inbound)

    def _store_together(self, calls: list) -> bool:
        """The messages of several waiting DATA commands (parallel connections of the MTA)
        stored in one flushed commit, each answered once it is there; False (nothing
        stored, nothing answered) when that failed, and each is then stored alone."""
        try:
            with ingest.receiving_batch():
                received = [
                    [ingest.receive(raw, mailbox) for mailbox in mailboxes]
                    for _future, _fn, (raw, mailboxes) in calls
                ]
        except Exception:  # noqa: BLE001 - rolled back: one at a time, each its own answer
            log.info("LMTP: %s messages are stored one by one", len(calls), exc_info=True)
            return False
        for (future, _fn, _args), rows in zip(calls, received, strict=True):
            for inbound in rows:
                self._stored_one(inbound)
            if future.set_running_or_notify_cancel():
                future.set_result([OK] * len(rows))
        return True

    def _run(self) -> None:
        try:
            while True:
                if len(self._stored) >= ingest.BATCH_SIZE:
                    self._process_stored()
                    continue
                try:
                    call = self._calls.get(timeout=LINGER if self._stored else None)
                except queue.Empty:
                    self._process_stored()
                    continue
                calls = [call]
                while calls[-1] is not self._STOP:  # everything waiting: stores go together
                    try:
                        calls.append(self._calls.get_nowait())
                    except queue.Empty:
                        break
                stop = calls[-1] is self._STOP
                calls = [c for c in calls if c is not self._STOP]
                stores = [c for c in calls if c[1] == self.store]
                if len(stores) > 1 and self._store_together(stores):
                    calls = [c for c in calls if c[1] != self.store]
                for future, fn, args in calls:
                    if future.set_running_or_notify_cancel():
                        try:
                            future.set_result(fn(*args))
                        except BaseException as exc:  # noqa: BLE001 - handed to the caller
                            future.set_exception(exc)
                if stop:
                    break
            self._process_stored(everything=True)
        finally:
            connection.close()

    def _process_stored(self, everything: bool = False) -> None:
        while self._stored:
            rows = self._stored[: ingest.BATCH_SIZE]
            del self._stored[: len(rows)]
            try:
                rows = ingest.process_batch(rows)  # never raises
            except Exception:  # noqa: BLE001 - left in "received" for the retry job
                log.exception("LMTP: %s stored messages not processed", len(rows))
            else:
                for row in rows:
                    self.stats.processed[row.state] = self.stats.processed.get(row.state, 0) + 1
            if not everything:
                return


class Handler:
    """aiosmtpd hooks; everything that touches Django goes through ``self.worker``."""

    def __init__(self, worker: Worker):
        self.worker = worker

    @property
    def stats(self) -> Stats:
        return self.worker.stats

    async def _call(self, fn, *args):
        return await asyncio.wrap_future(self.worker.submit(fn, *args))

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        try:
            ours, mailbox = await self._call(_recipient, address)
        except Exception:  # noqa: BLE001 - database down: let the MTA retry later
            log.exception("LMTP: could not look up %s", address)
            return "451 4.3.0 Temporary failure, try again later"
        if not ours:
            return NO_SUCH_USER
        envelope.rcpt_tos.append(address)
        envelope.__dict__.setdefault("podpora_mailboxes", []).append(mailbox)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server, session, envelope):
        """LMTP answers DATA once per accepted recipient, in RCPT order."""
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        mailboxes = envelope.__dict__.get("podpora_mailboxes", [])
        if not mailboxes:
            return "503 5.5.1 No valid recipients"
        return "\r\n".join(await self._call(self.worker.store, raw, mailboxes))


class _LMTPController(Controller):
    def factory(self):
        return LMTP(self.handler, **self.SMTP_kwargs)


class Server:
    """An LMTP listener on ``host:port`` with its worker thread; ``stop`` drains the queue."""

    def __init__(self, host: str = "127.0.0.1", port: int = 2424, *, max_bytes: int):
        self.worker = Worker(Stats())
        self.handler = Handler(self.worker)
        self.controller = _LMTPController(
            self.handler, hostname=host, port=port, data_size_limit=max_bytes, ready_timeout=10
        )

    @property
    def stats(self) -> Stats:
        return self.worker.stats

    def start(self) -> None:
        self.controller.start()

    def drain(self) -> None:
        """Wait until every message acknowledged so far is processed."""
        self.worker.drain()

    def stop(self) -> None:
        self.controller.stop()
        self.worker.stop()
