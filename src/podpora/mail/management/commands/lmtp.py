"""`podpora lmtp`: the LMTP listener for an MTA (see podpora.mail.lmtp), until stopped."""

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Listen for LMTP deliveries from the MTA (e.g. Postfix: "
        "mailbox_transport = lmtp:inet:127.0.0.1:2424). A message is answered 250 only "
        "once it is stored; 451 when it could not be (the MTA retries)."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
        parser.add_argument("--port", type=int, default=2424)

    def handle(self, *args, host="127.0.0.1", port=2424, **options):
        from podpora.mail.lmtp import Server

        server = Server(host, port, max_bytes=settings.MAX_MESSAGE_BYTES)
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        server.start()
        self.stdout.write(f"LMTP on {host}:{port}; Ctrl+C or SIGTERM stops (the queue drains)")
        self.stdout.flush()
        stop.wait()
        server.stop()
        s = server.stats
        self.stdout.write(
            f"stopped: {s.stored} stored, {s.duplicates} again, {s.failed} not stored; "
            f"processed {dict(sorted(s.processed.items()))}"
        )
