"""The one writer of Invoicing: marking an export's pending lines as invoiced, and undoing it.

Marking takes every billable time entry and every paid yearly service of the period (and
organisation, and vendor) that no earlier marking took, in one transaction. Each row is taken
by an UPDATE whose own condition is "still pending", so two people marking the same period at
once cannot invoice a row twice: PostgreSQL re-checks that condition once the first commits,
and SQLite lets one writer in at a time.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import export, selectors
from .models import Invoicing


@transaction.atomic
def mark_invoiced(
    start: date, end: date, *, user, organization=None, vendor=None, reference: str = ""
) -> Invoicing:
    """Mark what the export of the period still offers as invoiced, under ``reference``."""
    run = Invoicing.objects.create(
        vendor=vendor,
        organization=organization,
        date_from=start,
        date_to=end,
        reference=(reference or "").strip()[:40],
        created_by=user,
    )
    scope = {"organization": organization, "vendor": vendor, "pending": True}
    taken = 0
    for pending in (
        selectors.billable_entries(start, end, **scope),
        selectors.subscriptions_due_in(start, end, **scope),
    ):
        # "still pending" on the updated table itself, not only inside the subquery: a
        # concurrent marking's rows are re-checked after its commit and skipped.
        rows = pending.model.objects.filter(
            pk__in=pending.order_by().values("pk"), invoicing__isnull=True
        )
        taken += rows.update(invoicing=run)
    if not taken:
        raise ValidationError(_("V tomto období není nic, co by ještě nebylo vyfakturováno."))
    lines = export.build_lines(start, end, organization=organization, vendor=vendor, invoicing=run)
    totals = export.totals(lines)
    run.lines, run.base, run.vat, run.total = len(lines), totals.base, totals.vat, totals.total
    run.save(update_fields=["lines", "base", "vat", "total"])
    return run


@transaction.atomic
def cancel(run: Invoicing) -> int:
    """Undo a marking: its rows are pending again (the foreign keys are set to NULL)."""
    lines = run.lines
    run.delete()
    return lines
