"""A profile as text: read and check it (every problem, with its line), write it canonically."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _

from .check import Problem, validate
from .fields import canonical
from .yamlio import YamlError, dump, load_with_lines

VENDORS_DIR = Path(__file__).with_name("vendors")


def seed_files() -> list[Path]:
    """The seed vendors' profiles, in the order the demo loads them."""
    order = ["hrplus", "cloudempiere", "estelar", "intouch", "harmonik"]
    return [VENDORS_DIR / f"{slug}.yaml" for slug in order]


def read(text: str, *, database: bool = True) -> tuple[dict | None, list[Problem]]:
    """The profile and its problems; ``database``: also what clashes with other vendors."""
    try:
        profile, lines = load_with_lines(text)
    except YamlError as exc:
        return None, [
            Problem(exc.line, "", _("chyba zápisu YAML: %(detail)s") % {"detail": exc.message})
        ]
    if not isinstance(profile, dict):
        return None, [Problem(1, "", _("profil má být oddíl s položkami schema a vendor"))]
    problems = validate(profile, lines)
    if not problems and database:
        from .load import conflicts

        problems = conflicts(profile, lines)
    return (None if problems else profile), problems


def render(profile: dict) -> str:
    """The canonical text: keys in order, defaults left out (what export prints)."""
    return dump(canonical(profile))


def export_text(vendor) -> str:
    from .export import export_vendor

    return render(export_vendor(vendor))


def load_file(path: Path):
    """Load one profile file; raises ValueError with every problem when it is invalid."""
    from .load import load_profile

    profile, problems = read(Path(path).read_text(encoding="utf-8"))
    if problems:
        raise ProfileInvalid(problems)
    return load_profile(profile)


class ProfileInvalid(ValueError):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems
