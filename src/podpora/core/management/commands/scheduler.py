"""One scheduler for periodic work: it only enqueues; the worker does the work."""

import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run periodic jobs (SLA scan, mailbox polling) until interrupted."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=60, help="seconds between rounds")
        parser.add_argument("--once", action="store_true", help="run one round and exit")

    def handle(self, interval, once, **options):
        from podpora.core.schedule import run_round

        while True:
            for line in run_round():
                self.stdout.write(line)
            if once:
                return
            time.sleep(interval)
