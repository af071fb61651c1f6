"""Periodic jobs of customers: offering HOTLINE before ESTELAR's HOTLINE START ends."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from podpora.core.greeting import salutation
from podpora.core.mailtext import render_text
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
    """Claim the licence with a conditional update; the mails go after commit, once."""
    claimed = Licence.objects.filter(pk=licence_id, renewal_offered_at__isnull=True).update(
        renewal_offered_at=timezone.now()
    )
    if claimed:
        transaction.on_commit(partial(send_start_ending, licence_id))
    return bool(claimed)


def _groups(people) -> dict[str, list]:
    """Recipients by language: each gets the mail in their own language, one per language."""
    out: dict[str, list] = {}
    for person in people:
        lang = person.language if person.language in ("cs", "sk", "en") else "cs"
        out.setdefault(lang, []).append(person)
    return out


def _send(template: str, people, context: dict) -> int:
    sent = 0
    for lang, group in _groups(people).items():
        with translation.override(lang):
            ctx = {**context, "greeting": _greeting(group, lang)}
            subject = " ".join(render_text(f"mail/{template}.subject.txt", ctx).split())
            body = render_text(f"mail/{template}.txt", ctx)
        message = EmailMessage(
            subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            [p.email for p in group],
            headers={"Auto-Submitted": "auto-generated"},
        )
        try:
            message.send(fail_silently=False)
        except Exception:  # noqa: BLE001 - SMTP raises many kinds; logged, the job goes on
            log.exception("could not send %s to %s", template, [p.email for p in group])
        else:
            sent += 1
    return sent


def _greeting(group, lang: str) -> str:
    if len(group) == 1:
        return salutation(group[0].first_name, group[0].last_name, lang)
    return salutation("", "", lang)


def send_start_ending(licence_id: int) -> int:
    """The offer to the customer's authorised persons, and the proforma request to sales."""
    from podpora.accounts.models import User

    licence = Licence.objects.select_related("vendor", "organization", "product").get(pk=licence_id)
    vendor, org = licence.vendor, licence.organization
    end = ent.start_end(
        ent.LicenceFacts(licence.number, licence.activated_on, licence.max_version_date)
    )
    plans = list(
        vendor.plans.filter(kind="maintenance").order_by("pk").values_list("name", flat=True)
    )
    context = {
        "licence": licence,
        "organization": org,
        "vendor": vendor,
        "end": end,
        "plans": plans,
        "portal_url": f"{settings.BASE_URL}/portal/licences/",
    }
    customers = (
        Contact.objects.filter(organization=org, is_active=True)
        .exclude(role=Contact.Role.END_USER)
        .exclude(email="")
        .order_by("pk")
    )
    staff = User.objects.filter(kind="staff", vendor=vendor, is_active=True).exclude(email="")
    sales = list(staff.filter(role="billing")) or list(staff.filter(role="manager"))
    return _send("start_ending", customers, context) + _send("start_ending_sales", sales, context)
