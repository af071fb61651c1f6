"""podpora backup DIR: the database and the file store, consistent, with progress."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError


class Command(BaseCommand):
    help = (
        "Back the database and the file store up into DIR (a new or empty directory): SQLite's "
        "online backup, pg_dump for PostgreSQL when installed, or --portable (any engine; "
        "also to move between SQLite and PostgreSQL). Safe while Podpora runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("dir", help="new or empty directory for the backup")
        parser.add_argument(
            "--portable",
            action="store_true",
            help="a dump through Django (JSON lines) instead of the engine's own format",
        )

    def handle(self, dir, portable, **options):
        from podpora.core.backup import BackupError, backup

        def progress(line):
            sys.stderr.write(line + "\n")
            sys.stderr.flush()

        try:
            manifest = backup(Path(dir), progress, portable=portable)
        except (BackupError, OSError, DatabaseError) as exc:
            raise CommandError(f"backup failed: {exc}")
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"backup in {dir}: {len(manifest['tables'])} tables, {rows} rows, "
            f"{len(manifest['files'])} files"
        )
