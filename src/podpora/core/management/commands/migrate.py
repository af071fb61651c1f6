"""Django's migrate, which first creates a missing data folder (SQLite cannot create the
folder its file goes in, and a fresh install has none)."""

from django.conf import settings
from django.core.management.commands.migrate import Command as MigrateCommand


class Command(MigrateCommand):
    def execute(self, *args, **options):
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        return super().execute(*args, **options)
