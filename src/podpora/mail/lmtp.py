"""LMTP transport: a long-running listener the MTA delivers to (Postfix ``lmtp:`` transport).

The pipe (``podpora ingest-email``) starts Python and Django for every message, which costs
most of a second; under load the MTA should deliver over LMTP instead. The contract is the
pipe's: the reply to DATA is ``250`` only once the raw message is stored and committed
(``ingest.receive``), ``451`` (the MTA keeps it queued and retries) when it could not be.
Only then is the message processed, in the background, in arrival order; a stop in between
leaves it ``received`` for the retry job. Like the other transports it only hands over
bytes: the ingest does the rest.

Recipients: each ``RCPT TO`` naming one of our mailboxes gets the message filed under that
mailbox (one copy per mailbox, as over IMAP); another address of ours (a vendor's support
address) is filed without a mailbox and routed by its recipients; an address that is not
ours is refused with ``550`` at RCPT time, so the MTA bounces it instead of us losing it.

All database work runs on one worker thread (Django connections are per thread); the
asyncio loop only speaks the protocol.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP

from . import ingest
from .routing import routing_data
from .threading import normalise_address

log = logging.getLogger(__name__)

OK = "250 2.0.0 Ok: stored"
TEMPFAIL = "451 4.3.0 Temporary failure, message not stored: try again later"
NO_SUCH_USER = "550 5.1.1 No such mailbox here"


@dataclass
class Stats:
    stored: int = 0
    duplicates: int = 0
    failed: int = 0
    processed: dict[str, int] = field(default_factory=dict)


def _recipient(address: str):
    """(True, mailbox or None) for an address of ours; (False, None) otherwise."""
    address = normalise_address(address)
    routing = routing_data()
    mailbox = routing.by_address.get(address)
    if mailbox is not None:
        return True, mailbox
    return address in routing.own_addresses, None


class Handler:
    """aiosmtpd hooks; everything that touches Django goes through ``self.worker``."""

    def __init__(self, worker: ThreadPoolExecutor, stats: Stats | None = None):
        self.worker = worker
        self.stats = stats or Stats()

    async def _call(self, fn, *args):
        return await asyncio.get_running_loop().run_in_executor(self.worker, fn, *args)

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
        replies = []
        for mailbox in envelope.__dict__.get("podpora_mailboxes", []):
            try:
                inbound = await self._call(ingest.receive, raw, mailbox)
            except Exception:  # noqa: BLE001 - not stored: the MTA must keep it
                log.exception("LMTP: message not stored")
                self.stats.failed += 1
                replies.append(TEMPFAIL)
                continue
            if getattr(inbound, "is_new", False):
                self.stats.stored += 1
            else:
                self.stats.duplicates += 1
            replies.append(OK)
            self.worker.submit(self._process, inbound)  # after the reply, in order
        return "\r\n".join(replies) or "503 5.5.1 No valid recipients"

    def _process(self, inbound) -> None:
        inbound = ingest.process(inbound)  # never raises
        self.stats.processed[inbound.state] = self.stats.processed.get(inbound.state, 0) + 1


class _LMTPController(Controller):
    def factory(self):
        return LMTP(self.handler, **self.SMTP_kwargs)


class Server:
    """An LMTP listener on ``host:port`` with its worker thread; ``stop`` drains the queue."""

    def __init__(self, host: str = "127.0.0.1", port: int = 2424, *, max_bytes: int):
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="podpora-lmtp")
        self.handler = Handler(self.worker)
        self.controller = _LMTPController(
            self.handler, hostname=host, port=port, data_size_limit=max_bytes, ready_timeout=10
        )

    @property
    def stats(self) -> Stats:
        return self.handler.stats

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()
        self.worker.submit(_close_connection).result()
        self.worker.shutdown(wait=True)


def _close_connection() -> None:
    from django.db import connection

    connection.close()
