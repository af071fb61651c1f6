"""The monthly account of support in the portal (customer admins): the page and its PDF."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language

from podpora.accounts import access
from podpora.customers import monthly


def _admin_or_404(request):
    contact = access.contact_of(request.user)
    if contact is None or contact.role != "customer_admin" or not contact.is_active:
        raise Http404("not a customer admin")
    return contact


def _month(request) -> date:
    text = request.GET.get("month", "")
    try:
        year, month = (int(p) for p in text.split("-"))
        chosen = date(year, month, 1)
    except (ValueError, TypeError):
        return monthly.previous_month(timezone.localdate())
    return min(chosen, timezone.localdate().replace(day=1))


def _months(today: date, n: int = 12) -> list[date]:
    out, day = [], today.replace(day=1)
    for _i in range(n):
        out.append(day)
        day = monthly.previous_month(day)
    return out


def account_page(request):
    contact = _admin_or_404(request)
    month = _month(request)
    acc = monthly.account(contact.organization, month)
    ctx = monthly.context(acc) | {"months": _months(timezone.localdate()), "month": month}
    return render(request, "portal/account.html", ctx)


def account_pdf(request):
    contact = _admin_or_404(request)
    month = _month(request)
    acc = monthly.account(contact.organization, month)
    pdf = monthly.render_pdf(acc, language=get_language() or "cs")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="prehled-{month:%Y-%m}.pdf"'
    return response
