"""Periodic jobs of customers: offering HOTLINE before ESTELAR's HOTLINE START ends."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from podpora.core import storage
from podpora.core.greeting import salutation
from podpora.core.queue import enqueue
from podpora.core.schedule import job

from . import entitlements as ent
from .models import Contact, Contract, Licence

log = logging.getLogger(__name__)

#: START's last days in which the offer goes out (the page: a proforma when START ends).
WARN_DAYS = 30
#: Plans a customer pays for after START; START and warranty come with the licence.
PAID_KINDS = ("maintenance", "basic", "implementation", "one_time")


@job("start-renewals")
def start_renewals() -> str:
    offered = offer_start_renewals(timezone.localdate())
    return f"{len(offered)} offered"


def offer_start_renewals(today: date) -> list[str]:
    """Licences whose START ends within WARN_DAYS and are not paid for after it: offer once."""
    candidates = (
        Licence.objects.filter(
            renewal_offered_at__isnull=True,
            activated_on__isnull=False,
            vendor__start_plan__isnull=False,
        )
        .exclude(organization__stage="former")
        .select_related("vendor", "organization")
        .order_by("pk")
    )
    offered = []
    for licence in candidates:
        facts = ent.LicenceFacts(licence.number, licence.activated_on, licence.max_version_date)
        if not ent.start_ending(facts, today, warn_days=WARN_DAYS):
            continue
        if _paid_after_start(licence, ent.start_end(facts)):
            continue
        if _mark_offered(licence.pk):
            offered.append(licence.number)
    return offered


def _paid_after_start(licence, end: date) -> bool:
    after = end + timedelta(days=1)
    return (
        Contract.objects.filter(organization=licence.organization, plan__kind__in=PAID_KINDS)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=after))
        .exists()
    )


@transaction.atomic
def _mark_offered(licence_id: int) -> bool:
    """Claim the licence with a conditional update; the mails are a task committed with the
    claim (core.queue), so a crash after the commit cannot lose them."""
    from podpora.mail import tasks

    claimed = Licence.objects.filter(pk=licence_id, renewal_offered_at__isnull=True).update(
        renewal_offered_at=timezone.now()
    )
    if claimed:
        enqueue(tasks.send_start_ending, licence_id)
    return bool(claimed)


def _groups(people) -> dict[str, list]:
    """Recipients by language: each gets the mail in their own language, one per language."""
    out: dict[str, list] = {}
    for person in people:
        lang = person.language if person.language in ("cs", "sk", "en") else "cs"
        out.setdefault(lang, []).append(person)
    return out


def _send(template: str, people, context: dict, attachments=()) -> int:
    """One mail per language through the outbound queue: recorded, and retried while the
    mail server is down (mail/outbound.py), never lost to one failed attempt."""
    from podpora.mail import outbound

    queued = 0
    for lang, group in _groups(people).items():
        with translation.override(lang):
            greeting = _greeting(group, lang)
        record = outbound.send_to_group(
            template,
            [p.email for p in group],
            lang,
            {**context, "greeting": greeting},
            attachments=attachments,
        )
        queued += record is not None
    return queued


def _greeting(group, lang: str) -> str:
    if len(group) == 1:
        return salutation(group[0].first_name, group[0].last_name, lang)
    return salutation("", "", lang)


def send_start_ending(licence_id: int) -> int:
    """The offer with its proforma invoice (PDF) to the customer's authorised persons, and the
    news to sales, who mark it paid on the billing page."""
    from podpora.accounts.models import User
    from podpora.billing import proforma as proformas

    licence = Licence.objects.select_related("vendor", "organization", "product").get(pk=licence_id)
    vendor, org = licence.vendor, licence.organization
    proforma = proformas.issue_start_proforma(licence)
    end = ent.start_end(
        ent.LicenceFacts(licence.number, licence.activated_on, licence.max_version_date)
    )
    lines = proformas.lines(proforma)
    context = {
        "licence": licence,
        "organization": org,
        "vendor": vendor,
        "end": end,
        "plans": [line["name"] for line in lines],
        "lines": lines,
        "proforma": proforma,
        "portal_url": f"{settings.BASE_URL}/portal/licences/",
        "proformas_url": f"{settings.BASE_URL}/desk/billing/proformas/",
    }
    pdf = storage.read(proforma.pdf_id) if proforma.pdf_id else None
    attachments = (
        [(f"zalohova-faktura-{proforma.number}.pdf", pdf, "application/pdf")] if pdf else []
    )
    customers = (
        Contact.objects.filter(organization=org, is_active=True)
        .exclude(role=Contact.Role.END_USER)
        .exclude(email="")
        .order_by("pk")
    )
    staff = User.objects.filter(kind="staff", vendor=vendor, is_active=True).exclude(email="")
    sales = list(staff.filter(role="billing")) or list(staff.filter(role="manager"))
    return _send("start_ending", customers, context, attachments) + _send(
        "start_ending_sales", sales, context
    )


@job("monthly-accounts")
def monthly_accounts() -> str:
    """On the first working day of a month, last month's account goes to the customer admins."""
    from .monthly import send_due

    return f"{send_due()} sent"
