"""The support manager's report page and its XLSX download."""

from __future__ import annotations

import io

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from podpora.core import replica
from podpora.core.forms import PeriodForm
from podpora.tickets.models import CHANNEL_CHOICES, PRIORITY_CHOICES

from . import reports
from .views import staff_required

#: Staff roles that see the reports; the superuser always does.
REPORT_ROLES = ("manager", "admin")
#: The longest period one page shows day by day.
MAX_DAYS = 366


class ReportForm(PeriodForm):
    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start <= end and (end - start).days >= MAX_DAYS:
            self.add_error("date_to", _("Období může mít nejvýše jeden rok."))
        return data


def _chart(volume: list[dict]) -> dict:
    """Bars of new and resolved tickets per day, as coordinates for an inline SVG."""
    top = max([1, *(max(d["new"], d["resolved"]) for d in volume)])
    width = 8
    bars = []
    for i, d in enumerate(volume):
        x = i * (2 * width + 4)
        for k, key in enumerate(("new", "resolved")):
            h = round(100 * d[key] / top)
            bars.append(
                {
                    "x": x + k * width,
                    "y": 100 - h,
                    "h": h,
                    "kind": key,
                    "n": d[key],
                    "day": d["day"],
                }
            )
    return {"bars": bars, "width": max(1, len(volume)) * (2 * width + 4), "top": top}


@staff_required
def report_view(request):
    user = request.user
    if not (user.is_superuser or user.role in REPORT_ROLES):
        raise Http404("no reporting role")
    vendor = user.vendor if user.vendor_id else None
    today = timezone.localdate()
    initial = PeriodForm.month_so_far(today)
    form = ReportForm(request.GET or None, initial=initial)
    data = None
    if not request.GET:
        period = reports.Period(initial["date_from"], initial["date_to"])
    elif form.is_valid():
        period = reports.Period(form.cleaned_data["date_from"], form.cleaned_data["date_to"])
    else:
        period = None
    if period is not None:
        with replica.reports():  # from the read replica when there is one
            data = reports.report(vendor, period)
        if request.GET.get("format") == "xlsx":
            return _xlsx(data, period)
        data["chart"] = _chart(data["volume"])
        priorities, channels = dict(PRIORITY_CHOICES), dict(CHANNEL_CHOICES)
        for row in data["sla"]:
            row["label"] = priorities.get(row["priority"], row["priority"])
        for row in data["channels"]:
            row["label"] = channels.get(row["channel"], row["channel"])
    return render(request, "desk/reports.html", {"form": form, "data": data, "period": period})


def _xlsx(data: dict, period: reports.Period) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    priorities = dict(PRIORITY_CHOICES)
    book = Workbook()
    sheet = book.active
    sheet.title = _("SLA")[:31]
    sheet.append(
        [
            _("Priorita"),
            _("Požadavků"),
            _("První reakce včas"),
            _("První reakce pozdě"),
            _("První reakce běží"),
            _("První reakce včas (%)"),
            _("Vyřešení včas"),
            _("Vyřešení pozdě"),
            _("Vyřešení běží"),
            _("Vyřešení včas (%)"),
        ]
    )
    for row in [*data["sla"], data["sla_total"]]:
        sheet.append(
            [
                str(priorities.get(row["priority"], _("Celkem"))),
                row.get("tickets", 0),
                row.get("first_response_met", 0),
                row.get("first_response_breached", 0),
                row.get("first_response_running", 0),
                row["first_response_rate"],
                row.get("resolution_met", 0),
                row.get("resolution_breached", 0),
                row.get("resolution_running", 0),
                row["resolution_rate"],
            ]
        )
    days = book.create_sheet(_("Po dnech")[:31])
    days.append([_("Den"), _("Nové"), _("Vyřešené")])
    for d in data["volume"]:
        days.append([d["day"], d["new"], d["resolved"]])
        days.cell(days.max_row, 1).number_format = "d.m.yyyy"
    for ws in (sheet, days):
        for cell in ws[1]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"prehled-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
