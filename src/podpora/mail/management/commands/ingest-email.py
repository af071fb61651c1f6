"""`podpora ingest-email`: one message on standard input, for an MTA pipe (RT's rt-mailgate);
or a whole mbox file or Maildir (``--mbox``, ``--maildir``) in one process.

Exit 0 only once the raw message is stored durably (as a ticket, a follow-up, or in
quarantine); exit 75 (EX_TEMPFAIL) when it could not be stored, so the MTA keeps it queued
and retries. Never a traceback. An archive exits 75 when a part of it could not be stored:
what was stored before stays, and running the same import again finishes it.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

EX_OK = 0
EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = (
        "Read one e-mail message (RFC 5322) on standard input and file it: prints the ticket "
        "number, or 'quarantined: REASON'. Exit 75 when it could not be stored (retry later)."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--mailbox",
            default="",
            help="address (or id) of the mailbox the message was delivered to; "
            "by default it is found from the recipients",
        )
        archive = parser.add_mutually_exclusive_group()
        archive.add_argument(
            "--mbox", type=Path, help="file every message of this mbox file instead of stdin"
        )
        archive.add_argument(
            "--maildir", type=Path, help="file every message of this Maildir instead of stdin"
        )
        parser.add_argument(
            "--silent",
            action="store_true",
            help="with --mbox or --maildir: no automatic answers to the senders and no "
            "notifications (an old archive)",
        )

    def handle(self, *args, mailbox="", mbox=None, maildir=None, silent=False, **options):
        if mbox or maildir:
            self._archive(mbox or maildir, "mbox" if mbox else "maildir", mailbox, silent)
            return
        if silent:
            raise CommandError("--silent goes with --mbox or --maildir")
        try:
            from podpora.mail import ingest

            box = _mailbox(mailbox) if mailbox else None
            inbound = ingest.receive_stream(sys.stdin.buffer, box)
        except Exception as exc:  # noqa: BLE001 - not stored: the MTA must retry
            self.stderr.write(f"temporary failure, not stored: {type(exc).__name__}: {exc}")
            sys.exit(EX_TEMPFAIL)
        # Stored and committed: from here on the answer is 0 whatever happens.
        try:
            inbound = ingest.process(inbound)
            self.stdout.write(_describe(inbound))
        except Exception as exc:  # noqa: BLE001 - process() does not raise; belt and braces
            self.stdout.write(f"received: {inbound.pk} ({type(exc).__name__})")
        sys.exit(EX_OK)

    def _archive(self, path: Path, kind: str, mailbox: str, silent: bool) -> None:
        from podpora.mail import archive

        try:
            total, messages = archive.open_archive(path, kind)
        except archive.ArchiveError as exc:
            raise CommandError(str(exc)) from exc
        try:
            box = _mailbox(mailbox) if mailbox else None
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        bar = _Progress(self.stderr, total)
        try:
            result = archive.import_messages(messages, total, box, progress=bar.show, silent=silent)
        except Exception as exc:  # noqa: BLE001 - the rest is not stored: run it again
            bar.end()
            self.stderr.write(
                f"temporary failure after {bar.stored} of {total} messages stored:"
                f" {type(exc).__name__}: {exc}; run the same command again to finish"
            )
            sys.exit(EX_TEMPFAIL)
        bar.end()
        self.stdout.write(result.summary())


class _Progress:
    """A bar on a terminal, a line at every tenth otherwise (a log)."""

    def __init__(self, out, total: int):
        self.out, self.total, self.stored, self._tenth = out, total, 0, 0
        self.tty = out.isatty()

    def show(self, result) -> None:
        self.stored = result.stored
        if self.tty:
            filled = 30 * self.stored // max(self.total, 1)
            bar = "#" * filled + "." * (30 - filled)
            self.out.write(f"\r[{bar}] {self.stored}/{self.total}", ending="")
            self.out.flush()
        elif 10 * self.stored // max(self.total, 1) > self._tenth:
            self._tenth = 10 * self.stored // max(self.total, 1)
            self.out.write(f"{self.stored}/{self.total}")

    def end(self) -> None:
        if self.tty and self.stored:
            self.out.write("")


def _mailbox(value: str):
    from podpora.mail.models import Mailbox

    qs = Mailbox.objects.all()
    box = (
        qs.filter(pk=int(value)).first()
        if value.isdigit()
        else qs.filter(address__iexact=value).first()
    )
    if box is None:
        raise LookupError(f"no mailbox {value!r}")
    return box


def _describe(inbound) -> str:
    if inbound.state in ("processed", "released") and inbound.ticket_id:
        return inbound.ticket.number
    if inbound.state == "received":
        return f"received: {inbound.pk}"
    return f"{inbound.state}: {inbound.reason or '-'}"
