from django.core.management.base import BaseCommand, CommandError

from podpora.accounts.models import User
from podpora.accounts.services import create_api_token


class Command(BaseCommand):
    help = "Print a new API token for USERNAME (shown once; only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--label", default="cli")

    def handle(self, username, label, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Uživatel „{username}“ neexistuje.")
        self.stdout.write(create_api_token(user, label))
