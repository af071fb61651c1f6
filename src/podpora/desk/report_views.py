"""The support manager's report page and its XLSX download."""

from __future__ import annotations

import io

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from podpora.core import replica
from podpora.core.charts import bar_chart
from podpora.core.forms import PeriodForm
from podpora.core.tables import Table, csv_response, xlsx_response
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
            _("Vyřešení staženo zákazníkem"),
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
                row.get("resolution_withdrawn", 0),
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


# --- the managers' dashboard: each block a table, drawn as a chart, exported --------------


def dashboard_tables(vendor, period: reports.Period) -> dict[str, Table]:
    """Every block of the dashboard as a table of words and numbers (no codes)."""
    from podpora.tickets.models import STATE_CHOICES, TYPE_CHOICES

    states, prios = dict(STATE_CHOICES), dict(PRIORITY_CHOICES)
    channels, types = dict(CHANNEL_CHOICES), dict(TYPE_CHOICES)
    back = reports.backlog(vendor)
    s = back["summary"]
    n = _("Požadavků")
    ages = {
        "d1": _("do 1 dne"),
        "d7": _("1 až 7 dní"),
        "d30": _("7 až 30 dní"),
        "older": _("přes 30 dní"),
    }
    out = {
        "backlog-state": Table(
            "backlog-state",
            _("Otevřené podle stavu"),
            [_("Stav"), n],
            [(str(states.get(r["state"], r["state"])), r["tickets"]) for r in back["by_state"]],
        ),
        "backlog-team": Table(
            "backlog-team",
            _("Otevřené podle týmu"),
            [_("Tým"), n],
            [(r["team__name"] or _("bez týmu"), r["tickets"]) for r in back["by_team"]],
        ),
        "backlog-priority": Table(
            "backlog-priority",
            _("Otevřené podle priority"),
            [_("Priorita"), n],
            [(str(prios.get(r["priority"])), r["tickets"]) for r in back["by_priority"]],
        ),
        "backlog-age": Table(
            "backlog-age",
            _("Otevřené podle stáří"),
            [_("Stáří"), n],
            [(str(label), s[code]) for code, label in ages.items()],
        ),
        "due": Table(
            "due",
            _("Termíny dnes"),
            [_("Co"), n],
            [(_("vyřešit dnes"), s["due_today"]), (_("po termínu"), s["breached"])],
        ),
        "incoming-channel": Table(
            "incoming-channel",
            _("Příchozí podle kanálu"),
            [_("Kanál"), n],
            [
                (str(channels.get(r["channel"], r["channel"])), r["tickets"])
                for r in reports.by_channel(vendor, period)
            ],
        ),
        "incoming-type": Table(
            "incoming-type",
            _("Příchozí podle typu"),
            [_("Typ"), n],
            [
                (str(types.get(r["type"], r["type"])), r["tickets"])
                for r in reports.by_type(vendor, period)
            ],
        ),
        "workload": Table(
            "workload",
            _("Vytížení řešitelů"),
            [_("Řešitel"), _("Otevřených"), _("s porušeným SLA")],
            [
                (
                    f"{r['assignee__first_name']} {r['assignee__last_name']}".strip()
                    or r["assignee__username"]
                    or _("nepřiděleno"),
                    r["tickets"],
                    r["breached"],
                )
                for r in reports.workload(vendor)
            ],
        ),
    }
    dims = {
        "priority": _("priority"),
        "team": _("týmu"),
        "product": _("produktu"),
        "organization": _("organizace"),
        "plan": _("tarifu"),
    }
    for dim, label in dims.items():
        rows = []
        for r in reports.sla_by(vendor, period, dim):
            name = prios.get(r["name"]) if dim == "priority" else r["name"]
            rows.append(
                (
                    str(name or "–"),
                    r["tickets"],
                    r["first_response_rate"] if r["first_response_rate"] is not None else "–",
                    r["resolution_rate"] if r["resolution_rate"] is not None else "–",
                    r["resolution_withdrawn"],
                )
            )
        out[f"sla-{dim}"] = Table(
            f"sla-{dim}",
            _("Plnění SLA podle %(what)s") % {"what": label},
            [
                _("Podle čeho"),
                n,
                _("První reakce včas (%)"),
                _("Vyřešení včas (%)"),
                _("Staženo zákazníkem"),
            ],
            rows,
        )
    out |= _satisfaction_tables(vendor, period)
    deflected = reports.deflections(vendor, period)
    out["deflection"] = Table(
        "deflection",
        _("Vyřešeno návodem bez požadavku: %(count)s") % {"count": deflected["total"]},
        [_("Článek znalostní báze"), _("Kolikrát pomohl")],
        [(r["article__title"], r["n"]) for r in deflected["articles"]],
    )
    return out


def _satisfaction_tables(vendor, period: reports.Period) -> dict[str, Table]:
    from podpora.satisfaction import selectors as ratings
    from podpora.satisfaction.models import SCORES

    data = reports.satisfaction(vendor, period)
    average = data["summary"]["average"]
    title = _("Spokojenost zákazníků")
    if average is not None:
        title = _("Spokojenost zákazníků: průměr %(average)s z 5") % {
            "average": number_format(average, 1)
        }
    headers = [_("Hodnocení"), _("Průměr (1–5)"), _("Nízkých (1–2)")]
    out = {
        "satisfaction": Table(
            "satisfaction",
            title,
            [_("Hodnocení"), _("Počet")],
            [(f"{score} – {label}", data["scores"].get(score, 0)) for score, label in SCORES],
        )
    }
    names = {
        "agent": (_("Spokojenost podle řešitele"), _("Řešitel")),
        "team": (_("Spokojenost podle týmu"), _("Tým")),
        "product": (_("Spokojenost podle produktu"), _("Produkt")),
        "organization": (_("Spokojenost podle organizace"), _("Organizace")),
    }
    for dim in ratings.DIMENSIONS:
        title, first = names[dim]
        out[f"satisfaction-{dim}"] = Table(
            f"satisfaction-{dim}",
            title,
            [first, *headers],
            [
                (
                    r["label"] or "–",
                    r["count"],
                    r["average"] if r["average"] is not None else "–",
                    r["low"],
                )
                for r in data[dim]
            ],
        )
    return out


def _dashboard_period(request):
    today = timezone.localdate()
    initial = PeriodForm.month_so_far(today)
    form = ReportForm(request.GET or None, initial=initial)
    if not request.GET.get("date_from"):
        return form, reports.Period(initial["date_from"], initial["date_to"])
    if form.is_valid():
        return form, reports.Period(form.cleaned_data["date_from"], form.cleaned_data["date_to"])
    return form, None


def _manager_vendor(request):
    user = request.user
    if not (user.is_superuser or user.role in REPORT_ROLES):
        raise Http404("no reporting role")
    return user.vendor if user.vendor_id else None


@staff_required
def dashboard(request):
    vendor = _manager_vendor(request)
    form, period = _dashboard_period(request)
    blocks = []
    if period is not None:
        with replica.reports():  # from the read replica when there is one
            tables = dashboard_tables(vendor, period)
        for table in tables.values():
            rows = list(table.rows)
            table.rows = rows
            chart = bar_chart([(r[0], r[1] if isinstance(r[1], int) else 0) for r in rows])
            blocks.append({"table": table, "chart": chart})
    query = request.GET.urlencode()
    return render(
        request,
        "desk/dashboard.html",
        {"form": form, "blocks": blocks, "period": period, "query": query},
    )


@staff_required
def dashboard_export(request, name):
    vendor = _manager_vendor(request)
    _form, period = _dashboard_period(request)
    if period is None:
        raise Http404("bad period")
    with replica.reports():
        table = dashboard_tables(vendor, period).get(name)
    if table is None:
        raise Http404("no such table")
    if request.GET.get("format") == "xlsx":
        return xlsx_response(table)
    return csv_response(table)
