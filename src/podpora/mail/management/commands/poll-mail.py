"""`podpora poll-mail`: one polling round over the IMAP mailboxes, with progress."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Fetch new mail from every active IMAP mailbox once (or from one with --mailbox)."

    def add_arguments(self, parser):
        parser.add_argument("--mailbox", default="", help="address or id of one mailbox")
        parser.add_argument("--limit", type=int, default=200, help="messages per mailbox")

    def handle(self, *args, mailbox="", limit=200, **options):
        from podpora.mail.imap import poll_mailbox
        from podpora.mail.models import Mailbox

        boxes = Mailbox.objects.filter(is_active=True).exclude(imap_host="").order_by("pk")
        if mailbox:
            boxes = (
                Mailbox.objects.filter(pk=int(mailbox))
                if mailbox.isdigit()
                else Mailbox.objects.filter(address__iexact=mailbox)
            )
            if not boxes:
                raise CommandError(f"no mailbox {mailbox!r}")
        failed = 0
        for box in boxes:
            self.stdout.write(f"{box.address} ({box.imap_host}:{box.imap_port}) …")

            def progress(uid, inbound):
                label = inbound.ticket.number if inbound.ticket_id else inbound.reason
                self.stdout.write(f"  uid {uid}: {inbound.state} {label}".rstrip())

            try:
                result = poll_mailbox(box, limit=limit, progress=progress)
            except Exception as exc:  # noqa: BLE001 - report and go on with the next
                failed += 1
                self.stderr.write(f"  failed: {type(exc).__name__}: {exc}")
                continue
            self.stdout.write("  " + result.summary())
        if failed:
            raise CommandError(f"{failed} mailbox(es) failed")
