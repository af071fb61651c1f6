"""IMAP transport: fetch bytes, hand them to ``ingest``, then mark them processed.

Order per batch (up to ``BATCH_MESSAGES`` messages, one FETCH and one STORE or MOVE
command each): fetch (``BODY.PEEK[]``, which leaves ``\\Seen`` alone) → ``receive()`` each,
all in one transaction (raws stored, rows committed and flushed) → flag or move them all →
process them in order (``ingest.process_batch``: ``ingest.BATCH_SIZE`` to a transaction). A
crash anywhere before the flag leaves the messages unmarked, so the next round fetches them
again and ``receive()`` returns the rows it already made: nothing lost, nothing doubled. A
crash after the flag leaves rows in ``received``, which the retry job processes. Nothing is
ever deleted from the server: a processed message is flagged or moved to the processed
folder.

Fetching ahead: when a round has more than one batch, batch N+1 is fetched while batch N is
stored and processed, by one background thread with an IMAP connection of its own (opened
only then: a round of one batch, the usual case, uses one connection). A second connection
rather than pipelining on the first one: imapclient is synchronous, and a pipelined FETCH
nobody reads stalls once the socket buffers are full, so pipelining would need a reader
thread sharing the connection with the STOREs, which is more code and more ways to break.
The fetcher opens the folder read-only and fetches with ``BODY.PEEK``, so it can change
nothing on the server; it never touches the database (Django connections are per thread).
Besides fetching, it writes each message to the content-addressed store
(``storage.write_bytes``: fsync'd, no database), so ``receive()`` finds the blob there and
only records the row: the network, TLS and fsync time (~2 ms a message of ~45 KiB, mostly
outside the GIL) moves off the thread that processes. A blob written for a message whose
row never gets committed (a crash) is harmless: the next round's ``receive()`` uses it.
Everything else stays on the calling thread and in order: storing, marking, processing. If
fetching ahead fails, the batch is fetched again on the main connection, and the rest of
the round goes on without fetching ahead. At most two batches are held in memory.

Certificates are verified (``MAIL_IMAP_CAFILE`` adds a CA, e.g. a self-signed one), and a
server that refuses STARTTLS is an error, never a silent downgrade (OTRS CVE-2023-5422,
research/reliability-security.md 3).
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from imapclient import IMAPClient

from podpora.core import storage
from podpora.core.fields import UndecryptableSecret

from . import ingest
from .models import InboundMessage, Mailbox

log = logging.getLogger(__name__)

DEFAULT_LIMIT = 200
BATCH_MESSAGES = 50  # fetched in one command, marked in one command
BATCH_BYTES = 32 * 1024 * 1024


@dataclass
class PollResult:
    mailbox: str
    fetched: int = 0
    new: int = 0
    duplicates: int = 0
    states: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        states = ", ".join(f"{k} {v}" for k, v in sorted(self.states.items()))
        text = f"{self.mailbox}: {self.fetched} fetched, {self.new} new, {self.duplicates} again"
        if states:
            text += f" ({states})"
        if self.errors:
            text += f"; {len(self.errors)} errors: " + " | ".join(self.errors[:3])
            if len(self.errors) > 3:
                text += " | …"
        return text


def ssl_context() -> ssl.SSLContext:
    return ssl.create_default_context(cafile=settings.MAIL_IMAP_CAFILE or None)


def connect(mailbox: Mailbox, timeout: float | None = None) -> IMAPClient:
    """Log in; every socket operation times out (``MAIL_IMAP_TIMEOUT``, 60 s), so a server
    that stops answering cannot hang the scheduler."""
    timeout = timeout or settings.MAIL_IMAP_TIMEOUT
    security = mailbox.imap_security
    if security == Mailbox.Security.TLS:
        client = IMAPClient(
            mailbox.imap_host,
            port=mailbox.imap_port,
            ssl=True,
            ssl_context=ssl_context(),
            timeout=timeout,
        )
    else:
        client = IMAPClient(mailbox.imap_host, port=mailbox.imap_port, ssl=False, timeout=timeout)
        if security == Mailbox.Security.STARTTLS:
            client.starttls(ssl_context())  # raises if refused: no plain-text fallback
    client.login(mailbox.imap_user, mailbox.imap_password)
    return client


def _unprocessed_criteria(mailbox: Mailbox) -> list:
    if mailbox.processed_folder:
        return ["UNDELETED"]
    flag = mailbox.processed_flag or "\\Seen"
    if flag.startswith("\\"):
        return ["UN" + flag[1:].upper()]  # \Seen -> UNSEEN, \Flagged -> UNFLAGGED ...
    return ["UNKEYWORD", flag]


def _mark_processed(client: IMAPClient, mailbox: Mailbox, uids: list[int]) -> None:
    if not uids:
        return
    if mailbox.processed_folder:
        if client.has_capability("MOVE"):
            client.move(uids, mailbox.processed_folder)
        else:
            client.copy(uids, mailbox.processed_folder)
            client.add_flags(uids, [b"\\Deleted"], silent=True)
            if client.has_capability("UIDPLUS"):
                client.uid_expunge(uids)
            else:
                client.expunge()
    else:
        client.add_flags(uids, [(mailbox.processed_flag or "\\Seen").encode()], silent=True)


def _batches(uids: list[int], sizes: dict) -> list[list[int]]:
    """Runs of at most BATCH_MESSAGES messages and BATCH_BYTES bytes (one always fits)."""
    out: list[list[int]] = []
    current: list[int] = []
    total = 0
    for uid in uids:
        size = sizes.get(uid, {}).get(b"RFC822.SIZE", 0) or 0
        size = min(size, settings.MAX_MESSAGE_BYTES)  # over the limit: only the header
        if current and (len(current) >= BATCH_MESSAGES or total + size > BATCH_BYTES):
            out.append(current)
            current, total = [], 0
        current.append(uid)
        total += size
    if current:
        out.append(current)
    return out


def _ensure_folder(client: IMAPClient, folder: str) -> None:
    if folder and not client.folder_exists(folder):
        client.create_folder(folder)


def poll_mailbox(
    mailbox: Mailbox,
    limit: int = DEFAULT_LIMIT,
    progress: Callable[[int, InboundMessage], None] | None = None,
) -> PollResult:
    """One round for one mailbox. Raises when the server or the database is unreachable
    (the caller logs it and goes on with the next mailbox); per-message trouble on the
    server side (a refused STORE) is recorded and the message is retried next round."""
    result = PollResult(mailbox.name)
    if isinstance(mailbox.imap_password, UndecryptableSecret):
        # Not a server fault: no retry fixes it, so it is reported, not raised.
        error = gettext(
            "Uložené heslo k IMAP nelze dešifrovat: nejspíš se změnil PODPORA_ENCRYPTION_KEY "
            "nebo SECRET_KEY. Vraťte původní klíč, nebo heslo u schránky zadejte znovu."
        )
        _note_error(mailbox, error)
        result.errors.append(error)
        return result
    try:
        client = connect(mailbox)
    except Exception as exc:
        _note_error(mailbox, f"{type(exc).__name__}: {exc}")
        raise
    try:
        client.select_folder(mailbox.imap_folder or "INBOX")
        _ensure_folder(client, mailbox.processed_folder)
        uids = sorted(client.search(_unprocessed_criteria(mailbox)))[:limit]
        sizes = client.fetch(uids, ["RFC822.SIZE"]) if uids else {}
        _poll_batches(client, mailbox, _batches(uids, sizes), sizes, result, progress)
    except Exception as exc:
        _note_error(mailbox, f"{type(exc).__name__}: {exc}")
        raise
    finally:
        _logout(client)
    Mailbox.objects.filter(pk=mailbox.pk).update(last_polled_at=timezone.now(), last_error="")
    return result


def _logout(client: IMAPClient) -> None:
    try:
        client.logout()
    except Exception:  # noqa: BLE001 - the connection may be gone already
        pass


@dataclass
class _Fetched:
    """One batch's bytes by uid: the whole message, or only its header block when it is over
    ``MAX_MESSAGE_BYTES`` (those uids are in ``oversized``); a uid expunged meanwhile is
    missing."""

    raws: dict[int, bytes]
    oversized: set[int]


def _fetch(client: IMAPClient, uids: list[int], sizes: dict) -> _Fetched:
    """Fetch a batch in one command (a second one for the headers of oversized messages) and
    write every message to the blob store, which ``receive()`` then finds there. No database
    access: this runs on the fetching thread too."""
    limit = settings.MAX_MESSAGE_BYTES
    oversized = {u for u in uids if (sizes.get(u, {}).get(b"RFC822.SIZE", 0) or 0) > limit}
    wanted = [u for u in uids if u not in oversized]
    bodies = client.fetch(wanted, ["BODY.PEEK[]"]) if wanted else {}
    headers = (
        client.fetch(sorted(oversized), ["BODY.PEEK[HEADER]"]) if oversized else {}
    )  # the message itself stays on the server
    raws: dict[int, bytes] = {}
    for uid in uids:
        if uid in oversized:
            raw = headers.get(uid, {}).get(b"BODY[HEADER]")
        else:
            raw = bodies.get(uid, {}).get(b"BODY[]")
        if raw is not None:  # None: expunged meanwhile
            storage.write_bytes(raw)
            raws[uid] = raw
    return _Fetched(raws, oversized)


class _Fetcher:
    """Fetches batches on a second connection in one background thread (see the module
    docstring); the connection is opened, read-only, by the first batch it fetches."""

    def __init__(self, mailbox: Mailbox, folder: str):
        self.mailbox, self.folder = mailbox, folder
        self.client: IMAPClient | None = None
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="podpora-imap-fetch")

    def submit(self, uids: list[int], sizes: dict) -> Future:
        return self.thread.submit(self._fetch, uids, sizes)

    def _fetch(self, uids: list[int], sizes: dict) -> _Fetched:
        if self.client is None:
            self.client = connect(self.mailbox)
            self.client.select_folder(self.folder, readonly=True)
        return _fetch(self.client, uids, sizes)

    def close(self) -> None:
        """Waits for a fetch under way (the socket timeout bounds it), then logs out."""
        self.thread.shutdown(wait=True, cancel_futures=True)
        if self.client is not None:
            _logout(self.client)


def _poll_batches(client, mailbox, batches: list[list[int]], sizes, result, progress) -> None:
    """The batches in order; each next one is fetched ahead while this one is handled."""
    folder = mailbox.imap_folder or "INBOX"
    fetcher = _Fetcher(mailbox, folder) if len(batches) > 1 else None
    ahead: Future | None = None
    try:
        for n, uids in enumerate(batches):
            fetched = None
            if ahead is not None:
                try:
                    fetched = ahead.result()
                except Exception as exc:  # noqa: BLE001 - fetched below on the main connection
                    log.warning("mailbox %s: fetching ahead failed: %s", mailbox.pk, exc)
                    fetcher.close()
                    fetcher = None
            if fetched is None:
                fetched = _fetch(client, uids, sizes)
            last = n + 1 == len(batches)
            ahead = fetcher.submit(batches[n + 1], sizes) if fetcher and not last else None
            _batch(client, mailbox, uids, fetched, sizes, result, progress)
    finally:
        if fetcher is not None:
            fetcher.close()


def _batch(client, mailbox, uids, fetched: _Fetched, sizes, result: PollResult, progress):
    """Store every message of a fetched batch (one transaction, flushed), mark them all on the
    server in one command, and only then process them, in order."""
    stored: list[tuple[int, InboundMessage]] = []
    with ingest.receiving_batch():
        for uid in uids:
            raw = fetched.raws.get(uid)
            if raw is None:
                continue  # expunged meanwhile
            if uid in fetched.oversized:
                size = sizes[uid][b"RFC822.SIZE"]
                inbound = ingest.receive_oversized_headers(raw, size, mailbox)
            else:
                inbound = ingest.receive(raw, mailbox)
            stored.append((uid, inbound))
    fetched.raws.clear()  # stored: no need to hold them while processing
    for _uid, inbound in stored:
        result.fetched += 1
        if getattr(inbound, "is_new", False):
            result.new += 1
        else:
            result.duplicates += 1
    try:
        _mark_processed(client, mailbox, [uid for uid, _inbound in stored])
    except Exception as exc:  # noqa: BLE001 - stored already: next round fetches them again
        log.warning("mailbox %s: could not mark uids %s: %s", mailbox.pk, uids, exc)
        result.errors.append(f"uids {uids[0]}–{uids[-1]}: {exc}")
    for start in range(0, len(stored), ingest.BATCH_SIZE):
        chunk = stored[start : start + ingest.BATCH_SIZE]
        rows = ingest.process_batch([inbound for _uid, inbound in chunk])  # never raises
        for (uid, _inbound), inbound in zip(chunk, rows, strict=True):
            result.states[inbound.state] = result.states.get(inbound.state, 0) + 1
            if progress is not None:
                progress(uid, inbound)


def _note_error(mailbox: Mailbox, error: str) -> None:
    log.warning("mailbox %s (%s): %s", mailbox.pk, mailbox.address, error)
    try:
        Mailbox.objects.filter(pk=mailbox.pk).update(
            last_error=error[:500], last_polled_at=timezone.now()
        )
    except Exception:  # noqa: BLE001 - the database may be what failed
        pass


def poll_all(limit: int = DEFAULT_LIMIT, progress=None) -> list[PollResult | Exception]:
    """Every active mailbox with a server, one at a time; one failing blocks no other."""
    out: list[PollResult | Exception] = []
    for mailbox in Mailbox.objects.filter(is_active=True).exclude(imap_host="").order_by("pk"):
        try:
            out.append(poll_mailbox(mailbox, limit=limit, progress=progress))
        except Exception as exc:  # noqa: BLE001 - recorded on the mailbox; go on
            log.exception("polling mailbox %s failed", mailbox.pk)
            out.append(exc)
    return out
