"""IMAP transport: fetch bytes, hand them to ``ingest``, then mark them processed.

Order per batch (up to ``BATCH_MESSAGES`` messages, one FETCH and one STORE or MOVE
command each): fetch (``BODY.PEEK[]``, which leaves ``\\Seen`` alone) → ``receive()`` each,
all in one transaction (raws stored, rows committed and flushed) → flag or move them all →
``process()`` each. A crash anywhere before the flag leaves the messages unmarked, so the
next round fetches them again and ``receive()`` returns the rows it already made: nothing
lost, nothing doubled. A crash after the flag leaves rows in ``received``, which the retry
job processes. Nothing is ever deleted from the
server: a processed message is flagged or moved to the processed folder.

Certificates are verified (``MAIL_IMAP_CAFILE`` adds a CA, e.g. a self-signed one), and a
server that refuses STARTTLS is an error, never a silent downgrade (OTRS CVE-2023-5422,
research/reliability-security.md 3).
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from imapclient import IMAPClient

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
        for batch in _batches(uids, sizes):
            _batch(client, mailbox, batch, sizes, result, progress)
    except Exception as exc:
        _note_error(mailbox, f"{type(exc).__name__}: {exc}")
        raise
    finally:
        try:
            client.logout()
        except Exception:  # noqa: BLE001 - the connection may be gone already
            pass
    Mailbox.objects.filter(pk=mailbox.pk).update(last_polled_at=timezone.now(), last_error="")
    return result


def _batch(client, mailbox, uids: list[int], sizes: dict, result: PollResult, progress) -> None:
    """Fetch a batch in one command, store every message (one transaction for the batch,
    flushed), mark them all on the server in one command, and only then process them one
    by one."""
    limit = settings.MAX_MESSAGE_BYTES
    oversized = {u for u in uids if (sizes.get(u, {}).get(b"RFC822.SIZE", 0) or 0) > limit}
    wanted = [u for u in uids if u not in oversized]
    bodies = client.fetch(wanted, ["BODY.PEEK[]"]) if wanted else {}
    headers = (
        client.fetch(sorted(oversized), ["BODY.PEEK[HEADER]"]) if oversized else {}
    )  # the message itself stays on the server
    stored: list[tuple[int, InboundMessage]] = []
    with ingest.receiving_batch():
        for uid in uids:
            if uid in oversized:
                header = headers.get(uid, {}).get(b"BODY[HEADER]")
                if header is None:
                    continue  # expunged meanwhile
                size = sizes[uid][b"RFC822.SIZE"]
                inbound = ingest.receive_oversized_headers(header, size, mailbox)
            else:
                raw = bodies.get(uid, {}).get(b"BODY[]")
                if raw is None:
                    continue
                inbound = ingest.receive(raw, mailbox)
            stored.append((uid, inbound))
    for _uid, inbound in stored:
        result.fetched += 1
        if getattr(inbound, "is_new", False):
            result.new += 1
        else:
            result.duplicates += 1
    del bodies
    try:
        _mark_processed(client, mailbox, [uid for uid, _inbound in stored])
    except Exception as exc:  # noqa: BLE001 - stored already: next round fetches them again
        log.warning("mailbox %s: could not mark uids %s: %s", mailbox.pk, uids, exc)
        result.errors.append(f"uids {uids[0]}–{uids[-1]}: {exc}")
    for uid, inbound in stored:
        inbound = ingest.process(inbound)
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
