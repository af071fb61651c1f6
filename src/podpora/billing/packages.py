"""The one writer of prepaid packages (HR Plus's "balík konzultací"): sold, then changed.

A package's balance is its minutes less the entries drawn from it (``billing.services``), so
a change never takes away minutes already used, and the row is locked while it changes: an
agent logging time at the same moment draws on the package as it is after the change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from podpora.customers.models import PrepaidPackage


@dataclass
class PackageTerms:
    name: str
    minutes: int
    valid_from: date
    valid_to: date | None = None
    low_balance_minutes: int = 60


def _used(package: PrepaidPackage | None) -> int:
    if package is None or package.pk is None:
        return 0
    return package.entries.aggregate(used=Sum("minutes"))["used"] or 0


def validate_package(terms: PackageTerms, package: PrepaidPackage | None = None) -> None:
    """Every problem at once, by field, in the reader's language."""
    errors: dict[str, list[str]] = {}
    if not (terms.name or "").strip():
        errors["name"] = [_("Zadejte název balíku.")]
    if not isinstance(terms.minutes, int) or terms.minutes <= 0:
        errors["minutes"] = [_("Zadejte počet minut větší než nula.")]
    else:
        used = _used(package)
        if terms.minutes < used:
            errors["minutes"] = [
                _("Z balíku už bylo čerpáno %(used)s minut; méně mít nemůže.") % {"used": used}
            ]
    if terms.valid_to is not None and terms.valid_from and terms.valid_to < terms.valid_from:
        errors["valid_to"] = [_("Konec platnosti nesmí být před jejím začátkem.")]
    if terms.low_balance_minutes is None or terms.low_balance_minutes < 0:
        errors["low_balance_minutes"] = [_("Zadejte počet minut (nula nebo víc).")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_package(organization, terms: PackageTerms) -> PrepaidPackage:
    validate_package(terms)
    return PrepaidPackage.objects.create(
        organization=organization,
        name=terms.name.strip()[:120],
        minutes=terms.minutes,
        valid_from=terms.valid_from,
        valid_to=terms.valid_to,
        low_balance_minutes=terms.low_balance_minutes,
    )


@transaction.atomic
def change_package(package: PrepaidPackage, terms: PackageTerms) -> PrepaidPackage:
    package = PrepaidPackage.objects.select_for_update().get(pk=package.pk)
    validate_package(terms, package)
    package.name = terms.name.strip()[:120]
    package.minutes = terms.minutes
    package.valid_from = terms.valid_from
    package.valid_to = terms.valid_to
    package.low_balance_minutes = terms.low_balance_minutes
    package.save(update_fields=["name", "minutes", "valid_from", "valid_to", "low_balance_minutes"])
    return package
