"""The one writer of time entries: who pays for a piece of work, drawn from prepaid packages.

The mode of each entry follows the ticket's entitlement: covered work is covered; billable work
is drawn from the organisation's prepaid packages, oldest first, when the plan's billing mode
allows, and the rest is billed at the rate of the entitlement, the plan or the vendor's price
list. An entry that runs a package dry is split at the boundary.

A phone call (``channel="phone"``) under a plan with free phone consultations is covered only up
to the plan's minutes for the calendar month or year (HR Plus: "bezplatné telefonické konzultace
v rozsahu úrovně SLA"); the rest of the call is paid as billable work is, from a prepaid package
and then at the rate of the price list.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from podpora.customers.models import PrepaidPackage
from podpora.tickets import events

from .models import TimeEntry
from .selectors import free_calls_left, package_balances

#: Plans whose billing mode may draw on a prepaid package.
PREPAID_MODES = ("prepaid", "prepaid_then_price_list")


@dataclass
class Charge:
    """How work on a ticket is paid: ``mode`` of TimeEntry.Mode, and what billing allows."""

    status: str  #: covered / billable / rejected
    reason: str
    use_prepaid: bool = False
    rate: Decimal | None = None
    plan_name: str = ""
    plan: object = None  #: the Plan whose terms apply, when one does


@dataclass
class LoggedTime:
    """What ``log_time`` wrote, and what the agent should be told."""

    entries: list[TimeEntry] = field(default_factory=list)
    low_balance: bool = False  #: a package fell under its warning level (or ran out)
    exhausted: bool = False  #: no prepaid minutes are left at all (further work is billed)
    minutes_left: int | None = None  #: prepaid minutes left after this entry; None = no package
    #: free phone consultation minutes left in the period after a call; None = no such limit
    free_calls_left: int | None = None
    free_calls_used_up: bool = False  #: the call went over the free minutes (the rest is paid)

    @property
    def mode(self) -> str:
        modes = {e.mode for e in self.entries}
        return modes.pop() if len(modes) == 1 else "split"


def time_logged_event(ticket, actor, entry: TimeEntry):
    return events._write(
        ticket,
        "time_logged",
        actor,
        "console",
        customer_visible=False,
        minutes=entry.minutes,
        mode=entry.mode,
        package=entry.package.name if entry.package_id else None,
        rate=None if entry.rate is None else str(entry.rate),
        worked_on=entry.worked_on.isoformat(),
        work_channel=entry.channel,
    )


def prepaid_balance_event(ticket, actor, package: PrepaidPackage, kind: str, left: int):
    """``kind`` is "low" (under the warning level) or "exhausted" (nothing left)."""
    return events._write(
        ticket,
        f"prepaid_{kind}",
        actor,
        "console",
        customer_visible=False,
        package=package.name,
        minutes_left=left,
        low_balance_minutes=package.low_balance_minutes,
    )


def _received_on(ticket) -> date:
    return timezone.localdate(ticket.created_at) if ticket.created_at else timezone.localdate()


def charge_for(ticket, on: date | None = None, channel: str | None = None) -> Charge:
    """Who pays for work on the ticket: the status the ticket shows, with the billing details.

    The status is the ticket's own (as decided when the request came in, or as an agent
    overrode it), so work after START ended on a request made during START stays covered.
    Billable work re-asks the rules on the day the request came in for the payer and rate.
    ``channel`` judges the work itself on ``on`` instead, e.g. a remote session (Harmonik
    sells it per calendar year).
    """
    from podpora.customers import services as customer_services

    if channel is not None and channel != ticket.channel:
        probe = copy.copy(ticket)
        probe.channel = channel
        result, plan = customer_services.evaluate_ticket(probe, on or timezone.localdate())
        return _charge(ticket, str(result.status), result.reason, plan, result)
    status, reason = ticket.entitlement_status, ticket.entitlement_reason
    if status != "billable" or ticket.entitlement_overridden:
        return _charge(ticket, status, reason, ticket.plan, None)
    result, plan = customer_services.evaluate_ticket(ticket, _received_on(ticket))
    if result.status != "billable":  # the facts changed since; the ticket's word stands
        return _charge(ticket, status, reason, ticket.plan, None)
    return _charge(ticket, status, reason, plan, result)


def _charge(ticket, status: str, reason: str, plan, result) -> Charge:
    list_rate = ticket.vendor.price_list_rate
    if plan is None:
        mode = "price_list" if status == "billable" else "none"
    else:
        mode = plan.billing_mode
    rate = result.rate if result is not None else None
    if rate is None:
        rate = (plan.hourly_rate if plan is not None else None) or list_rate
    from_package = result is not None and result.source == "prepaid"
    return Charge(
        status,
        reason,
        use_prepaid=from_package or mode in PREPAID_MODES,
        rate=rate,
        plan_name=plan.name if plan is not None else "",
        plan=plan,
    )


def _validate(ticket, user, minutes, note: str) -> None:
    errors: dict[str, list[str]] = {}
    if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes <= 0:
        errors["minutes"] = [_("Zadejte počet minut větší než nula.")]
    elif minutes > 24 * 60:
        errors["minutes"] = [_("Jeden záznam může mít nejvýše 24 hodin.")]
    if len(note or "") > 300:
        errors["note"] = [_("Popis práce může mít nejvýše 300 znaků.")]
    if user is None or not getattr(user, "is_vendor_staff", False):
        errors["user"] = [_("Práci vykazuje jen pracovník podpory.")]
    elif user.vendor_id not in (None, ticket.vendor_id):
        errors["user"] = [_("Požadavek patří jinému dodavateli.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def log_time(
    ticket, user, minutes: int, note: str = "", worked_on: date | None = None, *, channel=None
) -> LoggedTime:
    """Record ``minutes`` of work on ``ticket``; returns the entries and any package warning.

    Work on a rejected request is refused: an agent first changes the entitlement (with a
    reason, in the history), so nobody is billed for work that was never agreed.
    """
    _validate(ticket, user, minutes, note)
    worked_on = worked_on or timezone.localdate()
    note = (note or "").strip()
    charge = charge_for(ticket, worked_on, channel)
    if charge.status == "rejected":
        raise ValidationError(
            {
                "minutes": [
                    _(
                        "Požadavek je mimo podporu; čas lze vykázat až po ruční změně nároku "
                        "(placené nebo v rámci smlouvy)."
                    )
                ]
            }
        )
    out = LoggedTime()
    remaining = minutes
    if charge.status == "covered":
        covered = _covered_call_minutes(ticket, user, charge, channel, worked_on, minutes, out)
        if covered:
            out.entries.append(
                _entry(ticket, user, covered, note, worked_on, TimeEntry.Mode.COVERED, channel)
            )
        remaining -= covered
    if remaining > 0:
        org = ticket.organization
        if charge.use_prepaid and org is not None:
            # Lock the packages first: balances are sums of entries, so two agents logging at
            # once must not both draw the last minutes.
            list(PrepaidPackage.objects.select_for_update().filter(organization=org))
            remaining = _draw(ticket, user, remaining, note, worked_on, out, channel)
        if remaining > 0:
            out.entries.append(
                _entry(
                    ticket,
                    user,
                    remaining,
                    note,
                    worked_on,
                    TimeEntry.Mode.BILLABLE,
                    channel,
                    rate=charge.rate,
                )
            )
    for entry in out.entries:
        time_logged_event(ticket, user, entry)
    return out


def _covered_call_minutes(ticket, user, charge, channel, worked_on, minutes, out) -> int:
    """How much of covered work stays covered: all of it, except a call over the free minutes."""
    plan, org = charge.plan, ticket.organization
    if channel != "phone" or plan is None or plan.free_call_minutes is None or org is None:
        return minutes
    # One call at a time per organisation: the free minutes are a sum of entries, as a
    # package's balance is, so two agents logging calls at once must not both take the last.
    type(org).objects.select_for_update().filter(pk=org.pk).first()
    left = free_calls_left(org, plan, worked_on)
    covered = min(left, minutes)
    out.free_calls_left = left - covered
    if covered < minutes:
        out.free_calls_used_up = True
        events._write(
            ticket,
            "free_calls_exhausted",
            user,
            "console",
            customer_visible=False,
            plan=plan.name,
            free_minutes=plan.free_call_minutes,
            period=plan.free_call_period,
            paid_minutes=minutes - covered,
        )
    return covered


def _draw(
    ticket, user, remaining: int, note: str, worked_on: date, out: LoggedTime, channel=None
) -> int:
    """Take minutes from the packages, oldest first; returns what the packages could not pay."""
    balances = package_balances(ticket.organization, worked_on)
    if not balances:
        return remaining
    left_total = sum(left for _pkg, left in balances)
    for package, left in balances:
        if remaining <= 0:
            break
        if left <= 0:
            continue
        take = min(left, remaining)
        out.entries.append(
            _entry(ticket, user, take, note, worked_on, TimeEntry.Mode.PREPAID, channel, package)
        )
        remaining -= take
        after = left - take
        left_total -= take
        if after == 0:
            out.low_balance = True
            prepaid_balance_event(ticket, user, package, "exhausted", 0)
        elif after < package.low_balance_minutes <= left:
            out.low_balance = True
            prepaid_balance_event(ticket, user, package, "low", after)
    out.minutes_left = left_total
    out.exhausted = left_total == 0
    return remaining


def _entry(
    ticket, user, minutes, note, worked_on, mode, channel=None, package=None, rate=None
) -> TimeEntry:
    return TimeEntry.objects.create(
        ticket=ticket,
        user=user,
        minutes=minutes,
        note=note[:300],
        mode=mode,
        package=package,
        rate=rate if mode == TimeEntry.Mode.BILLABLE else None,
        worked_on=worked_on,
        channel=channel or "",
    )


def bill_quote(ticket, user, quote, worked_on: date) -> TimeEntry:
    """Approved work billed as quoted: one billable entry of the quoted hours at the quoted
    rate (its amount in the export is the quote's), whatever time the solvers logged."""
    if user is None or not getattr(user, "is_vendor_staff", False):
        raise ValidationError({"user": [_("Práci vykazuje jen pracovník podpory.")]})
    with translation.override(ticket.language or "cs"):
        note = _("Dodávka podle nabídky č. %(n)s") % {"n": quote.number}
    entry = TimeEntry.objects.create(
        ticket=ticket,
        user=user,
        minutes=quote.minutes,
        note=note,
        mode=TimeEntry.Mode.BILLABLE,
        rate=quote.rate,
        worked_on=worked_on,
    )
    time_logged_event(ticket, user, entry)
    return entry
