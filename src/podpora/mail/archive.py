"""Many messages through one process: an mbox file or a Maildir (``podpora ingest-email
--mbox`` / ``--maildir``), when a vendor moves its mail archive over or an MTA's queue is
re-injected.

The same pipeline as every transport, in batches as the IMAP poller runs it: a chunk of
messages is stored in one flushed commit (:func:`ingest.receiving_batch`), then processed
(:func:`ingest.process_batch`). Reading the archive is the stdlib's ``mailbox``. Running an
import again is safe: a message stored before is recognised (Message-ID per mailbox, or the
digest) and not filed twice, so an import cut short is finished by running it again.
"""

from __future__ import annotations

import contextlib
import mailbox as stdlib_mailbox
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from podpora.tickets import notify

from . import ingest
from .models import Mailbox

CHUNK = 50  # messages per flushed commit, as the IMAP poller fetches them


class ArchiveError(Exception):
    """The archive cannot be read (missing, not an mbox or Maildir)."""


@dataclass
class ImportResult:
    total: int
    stored: int = 0  # durably stored by this run or an earlier one
    new: int = 0  # of them, stored by this run
    states: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        states = ", ".join(f"{k} {v}" for k, v in sorted(self.states.items()))
        text = f"{self.stored} of {self.total} messages stored, {self.new} new"
        return f"{text} ({states})" if states else text


def open_archive(path: Path, kind: str) -> tuple[int, Iterator[bytes]]:
    """The number of messages in the archive and their raw bytes, read one at a time."""
    try:
        if kind == "mbox":
            if not path.is_file():
                raise ArchiveError(f"{path}: no such mbox file")
            box: stdlib_mailbox.Mailbox = stdlib_mailbox.mbox(path, create=False)
        else:
            if not (path / "cur").is_dir() or not (path / "new").is_dir():
                raise ArchiveError(f"{path}: not a Maildir (no cur/ and new/)")
            box = stdlib_mailbox.Maildir(path, create=False)
        keys = sorted(box.keys()) if kind == "maildir" else list(box.keys())
    except OSError as exc:
        raise ArchiveError(f"{path}: {exc.strerror or exc}") from exc
    return len(keys), (box.get_bytes(key) for key in keys)


def import_messages(
    messages: Iterator[bytes],
    total: int,
    mailbox: Mailbox | None,
    progress: Callable[[ImportResult], None] | None = None,
    *,
    silent: bool = False,
) -> ImportResult:
    """Store and file ``messages``, :data:`CHUNK` at a time; ``silent``: with no automatic
    answer to their senders and no notification (an old archive). Raises only when a chunk
    could not be stored (database or storage down): the chunks before it are stored and
    filed, and nothing of that chunk is."""
    result = ImportResult(total)
    while chunk := [raw for _, raw in zip(range(CHUNK), messages, strict=False)]:
        with ingest.receiving_batch():
            rows = [ingest.receive(raw, mailbox) for raw in chunk]
        result.stored += len(rows)
        result.new += sum(row.is_new for row in rows)
        with notify.muted() if silent else contextlib.nullcontext():
            rows = ingest.process_batch(rows)
        for row in rows:
            if row.is_new:
                result.states[str(row.state)] += 1
        if progress is not None:
            progress(result)
    return result
