"""`podpora ingest-email`: one message on standard input, for an MTA pipe (RT's rt-mailgate).

Exit 0 only once the raw message is stored durably (as a ticket, a follow-up, or in
quarantine); exit 75 (EX_TEMPFAIL) when it could not be stored, so the MTA keeps it queued
and retries. Never a traceback.
"""

import sys

from django.core.management.base import BaseCommand

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

    def handle(self, *args, mailbox="", **options):
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
