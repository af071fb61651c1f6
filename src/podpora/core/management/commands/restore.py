"""podpora restore DIR: a backup into an empty instance, checked row by row and file by file."""

import sys
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError


class Command(BaseCommand):
    help = (
        "Restore a backup made by `podpora backup` into this (empty) instance: the database "
        "and the file store; then every table's row count and every file's digest are checked "
        "against the backup, and newer migrations are applied."
    )

    def add_arguments(self, parser):
        parser.add_argument("dir", help="the backup directory")
        parser.add_argument(
            "--force", action="store_true", help="replace the data this instance holds"
        )

    def handle(self, dir, force, **options):
        from podpora.core.backup import BackupError, restore

        def progress(line):
            sys.stderr.write(line + "\n")
            sys.stderr.flush()

        try:
            outcome = restore(Path(dir), progress, force=force)
        except (BackupError, OSError, DatabaseError) as exc:
            raise CommandError(f"restore failed: {exc}")
        if outcome["problems"]:
            for problem in outcome["problems"]:
                self.stderr.write(problem)
            raise CommandError("the restored data differ from the backup (listed above)")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(
            f"restored from {dir}: {outcome['tables']} tables and {outcome['files']} files, "
            "every row count and file digest as in the backup"
        )
