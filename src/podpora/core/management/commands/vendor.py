from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = (
        "Vendor profiles: `vendor export SLUG` prints one (YAML); `vendor load FILE` loads one "
        "idempotently, `--check` only validates it; `vendor new SLUG --name … "
        "--manager-email …` creates a vendor with Czech defaults and invites its manager."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="print a vendor's profile (YAML) on stdout")
        export.add_argument("slug")
        load = sub.add_parser("load", help="load a profile idempotently (by natural keys)")
        load.add_argument("file")
        load.add_argument(
            "--check", action="store_true", help="validate only: write nothing, list problems"
        )
        new = sub.add_parser("new", help="a new vendor with Czech defaults; invites its manager")
        new.add_argument("slug")
        new.add_argument("--name", required=True)
        new.add_argument("--manager-email", required=True)
        new.add_argument("--prefix", default="", help="ticket number prefix (default: from slug)")

    def handle(self, action, **options):
        from django.db import DatabaseError

        with translation.override(settings.LANGUAGE_CODE):
            try:
                return getattr(self, f"_{action}")(**options)
            except DatabaseError as exc:  # no tables yet, database unreachable, …
                raise CommandError(
                    _("Databáze není připravena (%(error)s). Spusťte nejdřív podpora migrate.")
                    % {"error": (str(exc).strip().splitlines() or [type(exc).__name__])[0]}
                ) from None

    def _export(self, slug, **options):
        from podpora.customers.models import Vendor
        from podpora.profiles.files import export_text

        vendor = Vendor.objects.filter(slug=slug).first()
        if vendor is None:
            raise CommandError(_("Dodavatel „%(slug)s“ neexistuje.") % {"slug": slug})
        self.stdout.write(export_text(vendor), ending="")

    def _load(self, file, check, **options):
        from podpora.profiles.files import read
        from podpora.profiles.load import load_profile

        try:
            text = Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(_("Soubor nelze přečíst: %(error)s") % {"error": exc}) from None
        profile, problems = read(text)
        if problems:
            for problem in problems:
                self.stderr.write(f"{file}: {problem}")
            raise CommandError(
                _("Profil není platný (problémů: %(count)s); nic nebylo zapsáno.")
                % {"count": len(problems)}
            )
        if check:
            self.stdout.write(_("Profil je v pořádku."))
            return
        outcome = load_profile(profile)
        if outcome.changed:
            self.stdout.write(
                _("Načteno: %(vendor)s (nové: %(created)s, změněné: %(updated)s).")
                % {
                    "vendor": outcome.vendor.name,
                    "created": len(outcome.created),
                    "updated": len(outcome.updated),
                }
            )
        else:
            self.stdout.write(_("Beze změn: %(vendor)s.") % {"vendor": outcome.vendor.name})

    def _new(self, slug, name, manager_email, prefix, **options):
        from podpora.customers.models import Vendor
        from podpora.profiles.check import validate
        from podpora.profiles.load import conflicts
        from podpora.profiles.new import create_vendor, default_profile

        if Vendor.objects.filter(slug=slug).exists():
            raise CommandError(_("Dodavatel „%(slug)s“ už existuje.") % {"slug": slug})
        profile = default_profile(slug, name, manager_email, prefix)
        problems = validate(profile, {}) or conflicts(profile, {})
        if problems:
            raise CommandError("\n".join(p.where + ": " + p.message for p in problems))
        vendor, manager = create_vendor(profile)
        self.stdout.write(
            _("Dodavatel %(vendor)s založen; pozvánka odešla na %(email)s.")
            % {"vendor": vendor.name, "email": manager.email}
        )
