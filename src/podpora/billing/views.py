"""Staff pages for billing: logging time on a ticket, and the export of billable work and yearly
services due."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from podpora.accounts import access
from podpora.core.forms import PeriodForm
from podpora.customers.models import Organization
from podpora.desk.views import staff_required

from . import export, invoicing, selectors, services
from .forms import TimeForm
from .models import Invoicing
from .remote import log_remote_session

#: Staff roles that see money; the superuser always does.
BILLING_ROLES = ("billing", "manager", "admin")
FORMATS = [("html", _lazy("náhled")), ("csv", _lazy("CSV (Excel)")), ("xlsx", _lazy("XLSX"))]


class MarkForm(forms.Form):
    reference = forms.CharField(label=_lazy("Číslo faktury"), max_length=40, required=False)


class ExportForm(PeriodForm):
    field_order = ["organization", "date_from", "date_to", "format", "include_invoiced"]

    organization = forms.ModelChoiceField(
        label=_lazy("Organizace"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_lazy("všechny organizace"),
    )
    format = forms.ChoiceField(label=_lazy("Formát"), choices=FORMATS, initial="html")
    include_invoiced = forms.BooleanField(label=_lazy("Včetně již vyfakturovaného"), required=False)

    def __init__(self, *args, vendor=None, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = Organization.objects.select_related("vendor").order_by("vendor__name", "name")
        if vendor is not None:
            orgs = orgs.filter(vendor=vendor)
        self.fields["organization"].queryset = orgs


def _may_bill(user) -> bool:
    return user.is_superuser or user.role in BILLING_ROLES


@staff_required
def export_view(request):
    if not _may_bill(request.user):
        raise Http404("no billing role")
    vendor = request.user.vendor if request.user.vendor_id else None
    today = timezone.localdate()
    initial = {**PeriodForm.month_so_far(today), "format": "html"}
    form = ExportForm(request.GET or None, vendor=vendor, initial=initial)
    context = {"form": form, "invoicings": selectors.invoicings(vendor)}
    if form.is_valid():
        d = form.cleaned_data
        lines = export.build_lines(
            d["date_from"],
            d["date_to"],
            organization=d["organization"],
            vendor=vendor,
            pending=not d["include_invoiced"],
        )
        if d["format"] in ("csv", "xlsx"):
            return _download(lines, d)
        context |= {
            "lines": lines,
            "totals": export.totals(lines),
            "headers": export.headers(),
            "pending": sum(1 for li in lines if not li.invoiced),
            "mark_form": MarkForm(),
        }
    return render(request, "billing/export.html", context)


@staff_required
@require_POST
def mark_view(request):
    """Mark what the export of the period (and organisation) still offers as invoiced."""
    if not _may_bill(request.user):
        raise Http404("no billing role")
    vendor = request.user.vendor if request.user.vendor_id else None
    form = ExportForm(request.POST, vendor=vendor)
    mark = MarkForm(request.POST)
    if not (form.is_valid() and mark.is_valid()):
        for errors in [*form.errors.values(), *mark.errors.values()]:
            messages.error(request, " ".join(errors))
        return redirect("billing:export")
    d = form.cleaned_data
    try:
        run = invoicing.mark_invoiced(
            d["date_from"],
            d["date_to"],
            user=request.user,
            organization=d["organization"],
            vendor=vendor,
            reference=mark.cleaned_data["reference"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _(
                "Označeno jako vyfakturované (%(run)s): počet řádků %(lines)s, celkem %(total)s Kč s DPH."
            )
            % {"run": run, "lines": run.lines, "total": export.decimal_comma(run.total)},
        )
    query = {
        "organization": d["organization"].pk if d["organization"] else "",
        "date_from": d["date_from"].isoformat(),
        "date_to": d["date_to"].isoformat(),
        "format": "html",
    }
    return redirect(f"{reverse('billing:export')}?{urlencode(query)}")


@staff_required
@require_POST
def cancel_view(request, pk):
    """Undo a marking: its lines are offered by the export again."""
    if not _may_bill(request.user):
        raise Http404("no billing role")
    runs = Invoicing.objects.all()
    if request.user.vendor_id:
        runs = runs.filter(vendor_id=request.user.vendor_id)
    run = runs.filter(pk=pk).first()
    if run is None:
        raise Http404("no such invoicing")
    label = str(run)
    invoicing.cancel(run)
    messages.success(
        request, _("Označení %(run)s zrušeno; jeho řádky jsou znovu k fakturaci.") % {"run": label}
    )
    return redirect("billing:export")


def _download(lines, d) -> HttpResponse:
    org = d["organization"]
    name = f"fakturace-{org.ico or org.pk if org else 'vse'}-{d['date_from']:%Y%m%d}-{d['date_to']:%Y%m%d}"
    if d["format"] == "csv":
        response = HttpResponse(export.to_csv(lines), content_type="text/csv; charset=utf-8")
        name += ".csv"
    else:
        response = HttpResponse(
            export.to_xlsx(lines),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name += ".xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_required
@require_POST
def log_time_view(request, number):
    """The console's "log time" box on a ticket; the service decides who pays."""
    ticket = access.get_ticket(request.user, number)
    form = TimeForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("desk:detail", number=number)
    d = form.cleaned_data
    try:
        if d["channel"] == "remote":
            result = log_remote_session(
                ticket, request.user, d["minutes"], d["connection_id"], d["note"], d["worked_on"]
            )
        else:
            result = services.log_time(
                ticket,
                request.user,
                d["minutes"],
                d["note"],
                d["worked_on"],
                channel=d["channel"] or None,
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("desk:detail", number=number)
    parts = [f"{e.minutes} min {e.get_mode_display()}" for e in result.entries]
    messages.success(request, _("Vykázáno: %(parts)s.") % {"parts": ", ".join(parts)})
    if result.free_calls_used_up:
        messages.warning(
            request,
            _(
                "Bezplatné telefonické konzultace v rámci SLA jsou za toto období vyčerpány; "
                "zbytek hovoru je placený."
            ),
        )
    elif result.free_calls_left is not None:
        messages.info(
            request,
            _("Bezplatné telefonické konzultace: v tomto období zbývá %(left)s min.")
            % {"left": result.free_calls_left},
        )
    if result.exhausted:
        messages.warning(
            request, _("Předplacený balík je vyčerpán; další práce se účtuje podle ceníku.")
        )
    elif result.low_balance:
        messages.warning(
            request,
            _("Předplacený balík dochází: zbývá %(left)s min.") % {"left": result.minutes_left},
        )
    return redirect("desk:detail", number=number)
