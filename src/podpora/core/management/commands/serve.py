"""Serve the product on one machine: web server, background worker and scheduler together."""

import os
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Migrate, then run the web server with the task worker and the scheduler until interrupted."
    )

    def add_arguments(self, parser):
        parser.add_argument("--addr", default=f"127.0.0.1:{os.environ.get('PORT', '8000')}")
        parser.add_argument("--no-migrate", action="store_true")

    def handle(self, addr, no_migrate, **options):
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        exe = [sys.executable, "-m", "podpora.cli"]
        children = [
            subprocess.Popen([*exe, "db_worker", "--interval", "1"]),
            subprocess.Popen([*exe, "scheduler", "--interval", "60"]),
        ]
        from podpora.core.language import warm_up_in_background

        warm_up_in_background()
        try:
            call_command("runserver", addr, use_reloader=False)
        finally:
            for child in children:
                child.terminate()
            for child in children:
                child.wait(timeout=10)
