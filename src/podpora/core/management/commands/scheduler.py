"""One scheduler for periodic work; several may run, each job still runs once per interval."""

import datetime as dt
import logging
import signal
import threading

from django.core.management.base import BaseCommand

log = logging.getLogger("podpora.scheduler")


class Command(BaseCommand):
    help = (
        "Run the periodic jobs (SLA scan, mailbox polling, pruning the task queue, …) until "
        "interrupted. Several schedulers may run at once: each job runs once per interval."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=60, help="seconds between rounds")
        parser.add_argument(
            "--once",
            action="store_true",
            help="run the jobs that are due (not run by another scheduler this interval), then exit",
        )

    def handle(self, interval, once, **options):
        from podpora.core.schedule import run_round

        stop = threading.Event()

        def on_signal(signum, frame):
            # The job running now finishes (its transaction commits or rolls back cleanly);
            # no new one starts.
            stop.set()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        every = dt.timedelta(seconds=max(1, interval))
        while not stop.is_set():
            for line in run_round(every, stop=stop):
                if once:
                    self.stdout.write(line)
                else:
                    log.info("%s", line)
            if once:
                return
            stop.wait(every.total_seconds())
