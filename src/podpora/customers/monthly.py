"""A monthly account of support for one organisation: its requests of the month against the
promised times of its contract, the breaches and why, the time spent and what it drew from
prepaid packages, its subscriptions and what is still open.

The numbers come from the ticket's SLA columns (due instants already moved by the pauses
while the customer was asked, so "against the contract" is a comparison with them) and from
the time entries worked in the month. ``account`` reads, ``render_pdf`` draws, ``send_due``
mails it to the customer admins on the first working day of the next month.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from podpora.core.charts import bar_chart

MODES = ("covered", "prepaid", "billable")


@dataclass
class Clock:
    due: datetime | None
    done: datetime | None
    status: str  #: met / breached / running / withdrawn / none
    late_minutes: int = 0  #: wall-clock minutes after the due instant (breached)


@dataclass
class Row:
    ticket: object
    first_response: Clock
    resolution: Clock
    paused_minutes: int

    @property
    def breaches(self) -> list[tuple[str, Clock]]:
        return [
            (name, c)
            for name, c in (
                ("first_response", self.first_response),
                ("resolution", self.resolution),
            )
            if c.status == "breached"
        ]


@dataclass
class Account:
    organization: object
    month: date
    rows: list[Row] = field(default_factory=list)
    minutes: dict[str, int] = field(default_factory=dict)  #: mode -> minutes worked
    packages: list[tuple[str, int]] = field(default_factory=list)  #: (package, minutes drawn)
    subscriptions: list = field(default_factory=list)
    open_items: list = field(default_factory=list)

    def count(self, clock: str, status: str) -> int:
        return sum(1 for r in self.rows if getattr(r, clock).status == status)

    @property
    def breaches(self) -> list[tuple[Row, str, Clock]]:
        return [(r, name, c) for r in self.rows for name, c in r.breaches]

    @property
    def total_minutes(self) -> int:
        return sum(self.minutes.values())

    def by_type(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for r in self.rows:
            label = r.ticket.get_type_display()
            counts[label] = counts.get(label, 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def month_bounds(month: date) -> tuple[datetime, datetime]:
    first = month.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    return (
        timezone.make_aware(datetime.combine(first, time.min)),
        timezone.make_aware(datetime.combine(nxt, time.min)),
    )


def _clock(due, done, as_of, withdrawn=None) -> Clock:
    """A clock of a request: stopped at ``done`` (or not yet), or the request ``withdrawn`` by
    the customer before it stopped — neither met nor breached, unless it was already late."""
    if due is None:
        return Clock(None, done, "none")
    if done is not None:
        if done <= due:
            return Clock(due, done, "met")
        return Clock(due, done, "breached", int((done - due).total_seconds() // 60))
    if withdrawn is not None:
        if withdrawn <= due:
            return Clock(due, None, "withdrawn")
        return Clock(due, None, "breached", int((withdrawn - due).total_seconds() // 60))
    if due < as_of:
        return Clock(due, None, "breached", int((as_of - due).total_seconds() // 60))
    return Clock(due, None, "running")


def account(organization, month: date, now: datetime | None = None) -> Account:
    """The account of ``month`` (any day of it) as it stood at its end (or ``now``, if sooner)."""
    from podpora.billing.models import Subscription, TimeEntry
    from podpora.tickets.models import Ticket
    from podpora.tickets.rules import OPEN_STATES

    month = month.replace(day=1)
    since, until = month_bounds(month)
    as_of = min(now or timezone.now(), until)
    out = Account(organization, month)
    tickets = Ticket.objects.filter(
        organization=organization, created_at__gte=since, created_at__lt=until
    ).order_by("created_at", "pk")
    for t in tickets:
        # what happened after the month's end is not part of its account
        responded = (
            t.first_responded_at if t.first_responded_at and t.first_responded_at < as_of else None
        )
        resolved = t.resolved_at if t.resolved_at and t.resolved_at < as_of else None
        withdrawn = t.withdrawn_at if t.withdrawn_at and t.withdrawn_at < as_of else None
        if withdrawn is not None:
            resolved = None  # closed by the customer, not solved
        out.rows.append(
            Row(
                t,
                _clock(t.first_response_due, responded, as_of, withdrawn),
                _clock(t.resolution_due, resolved, as_of, withdrawn),
                int(t.sla_paused_seconds // 60),
            )
        )
    entries = TimeEntry.objects.filter(
        ticket__organization=organization,
        worked_on__gte=month,
        worked_on__lt=until.date(),
    ).select_related("package")
    out.minutes = dict.fromkeys(MODES, 0)
    drawn: dict[str, int] = {}
    for e in entries:
        out.minutes[e.mode] = out.minutes.get(e.mode, 0) + e.minutes
        if e.package_id:
            drawn[e.package.name] = drawn.get(e.package.name, 0) + e.minutes
    out.packages = sorted(drawn.items())
    out.subscriptions = list(
        Subscription.objects.filter(organization=organization, year=month.year).select_related(
            "service"
        )
    )
    out.open_items = list(
        Ticket.objects.filter(
            organization=organization, state__in=list(OPEN_STATES), created_at__lt=until
        ).order_by("created_at", "pk")[:100]
    )
    return out


def first_working_day(month: date, vendor) -> date:
    """The first day of ``month`` that is a working day of the vendor's calendar (no weekend,
    no public holiday of its countries)."""
    from podpora.sla import clock

    day = month.replace(day=1)
    holidays: frozenset = frozenset()
    if vendor.calendar is not None:
        cal = clock.Calendar.from_dict(vendor.calendar.as_dict())
        holidays = cal.holidays_between(day.year, day.year)
    while day.weekday() >= 5 or day in holidays:
        day += timedelta(days=1)
    return day


def previous_month(today: date) -> date:
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def context(acc: Account) -> dict:
    from django.utils.translation import gettext as _

    from podpora.billing.models import TimeEntry

    labels = dict(TimeEntry.Mode.choices)
    return {
        "account": acc,
        "organization": acc.organization,
        "met_first": acc.count("first_response", "met"),
        "late_first": acc.count("first_response", "breached"),
        "met_res": acc.count("resolution", "met"),
        "late_res": acc.count("resolution", "breached"),
        "withdrawn": sum(
            1 for r in acc.rows if "withdrawn" in (r.first_response.status, r.resolution.status)
        ),
        "type_chart": bar_chart(acc.by_type()),
        "time_chart": bar_chart(
            [(str(labels[m]), acc.minutes.get(m, 0)) for m in MODES], unit=" min"
        ),
        "sla_chart": bar_chart(
            [
                (_("reakce včas"), acc.count("first_response", "met")),
                (_("reakce po termínu"), acc.count("first_response", "breached")),
                (_("vyřešeno včas"), acc.count("resolution", "met")),
                (_("vyřešeno po termínu"), acc.count("resolution", "breached")),
                (_("staženo zákazníkem"), acc.count("resolution", "withdrawn")),
            ]
        ),
    }


def render_pdf(acc: Account, *, language: str = "cs") -> bytes:
    from django.template.loader import render_to_string
    from django.utils import translation
    from weasyprint import HTML  # loads Pango: only where a PDF is made

    with translation.override(language):
        html = render_to_string("customers/monthly_pdf.html", context(acc))
    return HTML(string=html).write_pdf()


def send_due(today: date | None = None, now: datetime | None = None) -> int:
    """On the first working day of a month, mail last month's account to every customer admin
    (once per organisation and month, in each admin's language). Returns the mails sent."""
    from django.db import IntegrityError, transaction
    from django.utils import translation
    from django.utils.translation import gettext as _

    from podpora.mail import outbound

    from .models import Contact, MonthlyAccountSent, Organization

    today = today or timezone.localdate()
    month = previous_month(today)
    sent = 0
    admins = Contact.objects.filter(role=Contact.Role.CUSTOMER_ADMIN, is_active=True).exclude(
        email=""
    )
    orgs = Organization.objects.filter(pk__in=admins.values("organization")).select_related(
        "vendor", "vendor__calendar"
    )
    for org in orgs:
        if first_working_day(today, org.vendor) != today:
            continue
        try:
            with transaction.atomic():
                MonthlyAccountSent.objects.create(organization=org, month=month)
        except IntegrityError:
            continue  # another round or scheduler sent it
        acc = account(org, month, now)
        for contact in admins.filter(organization=org):
            lang = contact.language or "cs"
            with translation.override(lang):
                subject = _("Měsíční přehled podpory %(month)s/%(year)s – %(org)s") % {
                    "month": month.month,
                    "year": month.year,
                    "org": org.name,
                }
                body = _(
                    "Dobrý den,\n\nv příloze posíláme přehled podpory za %(month)s/%(year)s. "
                    "Najdete jej i v portálu v části Přehled podpory.\n\n%(vendor)s"
                ) % {"month": month.month, "year": month.year, "vendor": org.vendor.name}
            pdf = (f"prehled-{month:%Y-%m}.pdf", render_pdf(acc, language=lang), "application/pdf")
            outbound.send_composed(
                "monthly_account", [contact.email], subject, body, attachments=[pdf]
            )
            sent += 1
    return sent
