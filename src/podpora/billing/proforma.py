"""ESTELAR's proforma invoice when HOTLINE START ends: issued once per licence, a PDF with
the paid plans at the price list's yearly prices; paid, it activates the plan chosen.

The page: "Po ukončení půlroční služby HOTLINE START vám bude automaticky zaslána zálohová
faktura na placenou servisní podporu … V případě uhrazení zaslané zálohové faktury bude
aktivovaná některá z následujících služeb HOTLINE, HOTLINE+ nebo HOTLINE speciál." Unpaid,
nothing changes: the licence falls back to warranty service and billable interventions.

The PDF is made by WeasyPrint from an HTML template (the same templates and translations as
the e-mails, Czech typography by CSS), with Debian's Pango and DejaVu fonts.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from podpora.catalog.models import Service
from podpora.core import storage
from podpora.customers import entitlements as ent
from podpora.customers.models import Contract, Licence, Plan

from .models import Proforma, VendorBilling

log = logging.getLogger(__name__)

#: Plans a START customer is offered: the vendor's paid support (ESTELAR: HOTLINE, HOTLINE+,
#: HOTLINE speciál), each priced by the price list's yearly service of the same code.
OFFERED_KINDS = ("maintenance",)


def start_end(licence: Licence) -> date:
    return ent.start_end(
        ent.LicenceFacts(licence.number, licence.activated_on, licence.max_version_date)
    )


def offers(vendor) -> list[dict]:
    """The offered plans with their yearly price (without VAT) from the price list."""
    plans = list(vendor.plans.filter(kind__in=OFFERED_KINDS).order_by("pk"))
    prices = {
        s.code: s
        for s in Service.objects.filter(
            vendor=vendor, unit=Service.Unit.YEAR, code__in=[p.code for p in plans]
        )
    }
    out = []
    for plan in plans:
        service = prices.get(plan.code)
        out.append(
            {
                "plan": plan.code,
                "name": plan.name,
                "price": str(service.price) if service else None,
                "vat_rate": str(service.vat_rate) if service else None,
            }
        )
    return out


def _next_number(vendor, year: int) -> tuple[str, str]:
    """(number, variable symbol): the vendor's yearly sequence, e.g. ZF-2026-0007 / 20260007."""
    taken = Proforma.objects.filter(vendor=vendor, issued_on__year=year).count()
    seq = taken + 1
    return f"ZF-{year}-{seq:04d}", f"{year}{seq:04d}"


@transaction.atomic
def issue_start_proforma(licence: Licence, *, today: date | None = None) -> Proforma:
    """The licence's proforma, issued once (a second call returns the first), with its PDF."""
    licence = Licence.objects.select_for_update(of=("self",)).get(pk=licence.pk)
    existing = Proforma.objects.filter(licence=licence).first()
    if existing is not None:
        return existing
    today = today or timezone.localdate()
    vendor = licence.vendor
    details = VendorBilling.objects.filter(vendor=vendor).first()
    due_days = details.due_days if details else 14
    for _attempt in range(5):
        number, symbol = _next_number(vendor, today.year)
        try:
            with transaction.atomic():
                proforma = Proforma.objects.create(
                    vendor=vendor,
                    organization=licence.organization,
                    licence=licence,
                    number=number,
                    variable_symbol=symbol,
                    issued_on=today,
                    due_on=today + timedelta(days=due_days),
                    start_ends_on=start_end(licence),
                    offers=offers(vendor),
                )
            break
        except IntegrityError:  # another one took the number meanwhile
            continue
    else:
        raise ValidationError({"number": [_("Číslo zálohové faktury se nepodařilo přidělit.")]})
    try:
        pdf = render_pdf(proforma, language=_language(licence))
    except (OSError, ImportError):  # no Pango on this machine: the offer still goes, sales know
        log.exception("proforma %s: the PDF could not be made", proforma.number)
        return proforma
    proforma.pdf = storage.store(pdf)
    proforma.save(update_fields=["pdf"])
    return proforma


def _language(licence: Licence) -> str:
    contact = licence.organization.contacts.filter(is_active=True).exclude(role="end_user").first()
    lang = contact.language if contact else "cs"
    return lang if lang in ("cs", "sk", "en") else "cs"


def lines(proforma: Proforma) -> list[dict]:
    """The offers with VAT and total, as Decimals (for the PDF and the billing page)."""
    out = []
    for offer in proforma.offers:
        price = Decimal(offer["price"]) if offer.get("price") else None
        rate = Decimal(offer["vat_rate"]) if offer.get("vat_rate") else Decimal(21)
        vat = (price * rate / 100).quantize(Decimal("0.01")) if price is not None else None
        out.append(
            {
                **offer,
                "price": price,
                "vat_rate": rate,
                "vat": vat,
                "total": price + vat if price is not None else None,
            }
        )
    return out


def render_pdf(proforma: Proforma, *, language: str = "cs") -> bytes:
    from weasyprint import HTML  # loads Pango: only where a PDF is made

    with translation.override(language):
        html = render_to_string(
            "billing/proforma.html",
            {
                "proforma": proforma,
                "vendor": proforma.vendor,
                "details": VendorBilling.objects.filter(vendor=proforma.vendor).first(),
                "organization": proforma.organization,
                "licence": proforma.licence,
                "lines": lines(proforma),
            },
        )
    return HTML(string=html).write_pdf()


@transaction.atomic
def mark_paid(proforma: Proforma, *, plan_code: str, paid_on: date, actor) -> Contract:
    """Billing staff record the payment: the chosen plan is activated from the day after
    START ends (or from the payment, if later) for one year."""
    proforma = Proforma.objects.select_for_update().get(pk=proforma.pk)
    if proforma.status == Proforma.Status.PAID:
        raise ValidationError({"plan": [_("Tato zálohová faktura už je uhrazena.")]})
    if plan_code not in {o["plan"] for o in proforma.offers}:
        raise ValidationError({"plan": [_("Zvolte jeden z nabízených tarifů.")]})
    if paid_on is None or paid_on < proforma.issued_on or paid_on > timezone.localdate():
        raise ValidationError(
            {"paid_on": [_("Datum úhrady musí být mezi vystavením faktury a dneškem.")]}
        )
    plan = Plan.objects.get(vendor=proforma.vendor, code=plan_code)
    valid_from = max(proforma.start_ends_on + timedelta(days=1), paid_on)
    contract = Contract.objects.create(
        organization=proforma.organization,
        plan=plan,
        number=proforma.number,
        valid_from=valid_from,
        valid_to=_year_later(valid_from),
    )
    proforma.status = Proforma.Status.PAID
    proforma.paid_on = paid_on
    proforma.paid_plan = plan
    proforma.contract = contract
    proforma.marked_by = actor
    proforma.save(update_fields=["status", "paid_on", "paid_plan", "contract", "marked_by"])
    return contract


def _year_later(start: date) -> date:
    try:
        return start.replace(year=start.year + 1) - timedelta(days=1)
    except ValueError:  # 29 February
        return start.replace(year=start.year + 1, day=28)
