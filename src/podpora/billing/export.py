"""Billing export: billable time and yearly services due, per organisation and period.

Prices are CZK without VAT; each line shows the VAT rate, the VAT and the total separately,
every amount rounded to haléře (0.01) half up, and the totals are the sums of the rounded lines
(as an invoice adds them). CSV is for Czech Excel: UTF-8 with a BOM, ``;`` between fields and
a decimal comma; XLSX carries real numbers and dates.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _

from podpora.catalog.models import Service

from . import selectors

CENT = Decimal("0.01")
DEFAULT_VAT = Decimal(21)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Line:
    organization: str
    ico: str
    kind: str  #: "time" or "subscription"
    day: date  #: the day worked, or 1 January of the subscribed year
    reference: str  #: ticket number, or the service code and year
    description: str
    quantity: Decimal  #: hours (to 0.01) or pieces
    unit: str
    unit_price: Decimal
    base: Decimal  #: without VAT
    vat_rate: Decimal  #: per cent
    vat: Decimal
    total: Decimal
    invoiced: str = ""  #: the marking that invoiced it (its invoice number or #id), if any


@dataclass(frozen=True)
class Totals:
    base: Decimal
    vat: Decimal
    total: Decimal


def _line(**fields) -> Line:
    base = money(fields.pop("base"))
    vat = money(base * fields["vat_rate"] / 100)
    return Line(base=base, vat=vat, total=base + vat, **fields)


class _HourlyVat:
    """The VAT rate of a vendor's hourly service at that rate (else any hourly one, else 21 %)."""

    def __init__(self):
        self._cache: dict[int, list[Service]] = {}

    def __call__(self, vendor_id: int, rate: Decimal | None) -> Decimal:
        if vendor_id not in self._cache:
            self._cache[vendor_id] = list(
                Service.objects.filter(vendor_id=vendor_id, unit=Service.Unit.HOUR).order_by("pk")
            )
        services = self._cache[vendor_id]
        for service in services:
            if rate is not None and service.price == rate:
                return service.vat_rate
        return services[0].vat_rate if services else DEFAULT_VAT


def _fixed_price_quote(entry):
    """The fixed-price quote the entry delivers (loaded with it), else None."""
    try:
        quote = entry.quote
    except ObjectDoesNotExist:
        return None
    return quote if quote.fixed_price else None


def build_lines(
    start: date, end: date, *, organization=None, vendor=None, pending=False, invoicing=None
) -> list[Line]:
    """Time lines then subscription lines, each sorted by organisation; ``pending`` keeps what
    is not invoiced yet, ``invoicing`` what one marking invoiced."""
    vat_for = _HourlyVat()
    lines = []
    scope = {
        "organization": organization,
        "vendor": vendor,
        "pending": pending,
        "invoicing": invoicing,
    }
    for entry in selectors.billable_entries(start, end, **scope):
        ticket = entry.ticket
        org = ticket.organization
        rate = entry.rate if entry.rate is not None else Decimal(0)
        text = ticket.subject + (f" – {entry.note}" if entry.note else "")
        if entry.channel == "phone":
            text = _("Telefonická konzultace: %(text)s") % {"text": text}
        amounts = {
            "description": f"{text} ({entry.minutes} min)",
            "quantity": money(Decimal(entry.minutes) / 60),
            "unit": _("hod"),
            "unit_price": money(rate),
            "base": rate * entry.minutes / 60,
        }
        quote = _fixed_price_quote(entry)
        if quote is not None:  # billed as quoted: the whole change at its price
            amounts = {
                "description": text,
                "quantity": money(Decimal(1)),
                "unit": _("ks"),
                "unit_price": money(quote.amount),
                "base": quote.amount,
            }
        lines.append(
            _line(
                organization=org.name if org else ticket.requester_name,
                ico=org.ico if org else "",
                kind="time",
                day=entry.worked_on,
                reference=ticket.number,
                vat_rate=vat_for(ticket.vendor_id, entry.rate),
                invoiced=str(entry.invoicing) if entry.invoicing_id else "",
                **amounts,
            )
        )
    for sub in selectors.subscriptions_due_in(start, end, **scope):
        lines.append(
            _line(
                organization=sub.organization.name,
                ico=sub.organization.ico,
                kind="subscription",
                day=date(sub.year, 1, 1),
                reference=f"{sub.service.code}/{sub.year}",
                description=_("%(service)s, kalendářní rok %(year)s")
                % {"service": sub.service.name, "year": sub.year},
                quantity=Decimal(sub.quantity),
                unit=_("ks"),
                unit_price=money(sub.price / sub.quantity),
                base=sub.price,
                vat_rate=sub.service.vat_rate,
                invoiced=str(sub.invoicing) if sub.invoicing_id else "",
            )
        )
    return lines


def totals(lines: list[Line]) -> Totals:
    return Totals(
        base=sum((li.base for li in lines), Decimal(0)),
        vat=sum((li.vat for li in lines), Decimal(0)),
        total=sum((li.total for li in lines), Decimal(0)),
    )


def headers() -> list[str]:
    return [
        _("Organizace"),
        _("IČO"),
        _("Druh"),
        _("Datum"),
        _("Doklad"),
        _("Popis"),
        _("Množství"),
        _("Jednotka"),
        _("Cena za jednotku bez DPH (Kč)"),
        _("Základ bez DPH (Kč)"),
        _("Sazba DPH (%)"),
        _("DPH (Kč)"),
        _("Celkem s DPH (Kč)"),
    ]


def kind_label(kind: str) -> str:
    return _("práce") if kind == "time" else _("roční služba")


def _text(value: str) -> str:
    """Text that a spreadsheet will not run as a formula."""
    value = value or ""
    return "'" + value if value.startswith(_FORMULA_START) else value


def decimal_comma(value: Decimal) -> str:
    """An amount to two places with the Czech decimal comma: 1119,25."""
    return f"{value:.2f}".replace(".", ",")


def to_csv(lines: list[Line]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers())
    for li in lines:
        writer.writerow(
            [
                _text(li.organization),
                li.ico,
                kind_label(li.kind),
                li.day.strftime("%d.%m.%Y"),
                _text(li.reference),
                _text(li.description),
                decimal_comma(li.quantity),
                li.unit,
                decimal_comma(li.unit_price),
                decimal_comma(li.base),
                decimal_comma(li.vat_rate),
                decimal_comma(li.vat),
                decimal_comma(li.total),
            ]
        )
    t = totals(lines)
    writer.writerow(
        [
            _("Celkem"),
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            decimal_comma(t.base),
            "",
            decimal_comma(t.vat),
            decimal_comma(t.total),
        ]
    )
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(lines: list[Line]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Fakturace")[:31]
    sheet.append(headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for li in lines:
        sheet.append(
            [
                li.organization,
                li.ico,
                kind_label(li.kind),
                li.day,
                li.reference,
                li.description,
                li.quantity,
                li.unit,
                li.unit_price,
                li.base,
                li.vat_rate,
                li.vat,
                li.total,
            ]
        )
        row = sheet.max_row
        for col in (1, 5, 6):  # never formulas, whatever a ticket's subject says
            sheet.cell(row, col).data_type = "s"
        sheet.cell(row, 4).number_format = "d.m.yyyy"
        for col in (7, 9, 10, 11, 12, 13):
            sheet.cell(row, col).number_format = "#,##0.00"
    t = totals(lines)
    sheet.append(
        [_("Celkem"), None, None, None, None, None, None, None, None, t.base, None, t.vat, t.total]
    )
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        if isinstance(cell.value, Decimal):
            cell.number_format = "#,##0.00"
    for letter, width in zip(
        "ABCDEFGHIJKLM", (28, 10, 12, 11, 14, 48, 9, 8, 14, 14, 9, 12, 14), strict=True
    ):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
