"""Billing staff's proforma invoices: the list, the PDF, and "paid" (which activates the plan)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from podpora.core import storage
from podpora.desk.views import staff_required

from . import proforma as service
from .models import Proforma
from .views import _may_bill


class PaidForm(forms.Form):
    plan = forms.ChoiceField(label=_lazy("Uhrazený tarif"))
    paid_on = forms.DateField(label=_lazy("Uhrazeno dne"))

    def __init__(self, *args, proforma: Proforma, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [(o["plan"], o["name"]) for o in proforma.offers]
        self.fields["paid_on"].initial = timezone.localdate()


def _proformas(user):
    if not _may_bill(user):
        raise Http404("no billing role")
    rows = Proforma.objects.select_related("organization", "licence", "paid_plan", "vendor")
    return rows.filter(vendor_id=user.vendor_id) if user.vendor_id else rows


@staff_required
def list_view(request):
    rows = list(_proformas(request.user).order_by("-issued_on", "-pk")[:200])
    items = [
        {"proforma": p, "lines": service.lines(p), "form": PaidForm(proforma=p, prefix=str(p.pk))}
        for p in rows
    ]
    return render(request, "billing/proformas.html", {"items": items})


@staff_required
def pdf_view(request, pk):
    proforma = _proformas(request.user).filter(pk=pk).first()
    if proforma is None or not proforma.pdf_id:
        raise Http404("no such proforma")
    response = HttpResponse(storage.read(proforma.pdf_id), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="zalohova-faktura-{proforma.number}.pdf"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_required
@require_POST
def paid_view(request, pk):
    proforma = _proformas(request.user).filter(pk=pk).first()
    if proforma is None:
        raise Http404("no such proforma")
    form = PaidForm(request.POST, proforma=proforma, prefix=str(proforma.pk))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("billing:proformas")
    try:
        contract = service.mark_paid(
            proforma,
            plan_code=form.cleaned_data["plan"],
            paid_on=form.cleaned_data["paid_on"],
            actor=request.user,
        )
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
        return redirect("billing:proformas")
    messages.success(
        request,
        _("Faktura %(number)s je uhrazena; tarif %(plan)s platí od %(date)s.")
        % {
            "number": proforma.number,
            "plan": contract.plan.name,
            "date": f"{contract.valid_from.day}. {contract.valid_from.month}. {contract.valid_from.year}",
        },
    )
    return redirect("billing:proformas")
