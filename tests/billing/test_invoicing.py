"""Marking exported work as invoiced: the next export no longer offers it; undoing it does."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from podpora.billing import export, invoicing
from podpora.billing.models import Invoicing, Subscription, TimeEntry

from .conftest import staff
from .test_export import END, START, TOTALS, URL, _params

MARK = "/desk/billing/export/mark/"


def pending(**scope):
    return export.build_lines(START, END, pending=True, **scope)


def test_marked_lines_leave_the_export_and_come_back_when_cancelled(work):
    manager = staff("hrplus-manager")
    before = export.build_lines(START, END)
    assert (export.totals(before).base, export.totals(before).vat) == TOTALS[:2]

    run = invoicing.mark_invoiced(START, END, user=manager, reference="FV-2026-0042")
    assert (run.lines, run.base, run.vat, run.total) == (len(before), *TOTALS)
    assert str(run) == "FV-2026-0042"
    assert pending() == []
    assert {li.invoiced for li in export.build_lines(START, END)} == {"FV-2026-0042"}
    assert export.build_lines(START, END, invoicing=run) == export.build_lines(START, END)

    with pytest.raises(ValidationError) as nothing:
        invoicing.mark_invoiced(START, END, user=manager)
    assert "nic, co by ještě nebylo vyfakturováno" in nothing.value.messages[0]
    assert Invoicing.objects.count() == 1  # the failed marking left no row behind

    assert invoicing.cancel(run) == len(before)
    assert [li.invoiced for li in pending()] == [""] * len(before)
    assert not TimeEntry.objects.exclude(invoicing=None).exists()
    assert not Subscription.objects.exclude(invoicing=None).exists()


def test_only_the_organisation_and_period_chosen_are_marked(work):
    manager = staff("hrplus-manager")
    jelinek = work["jelinek"]
    run = invoicing.mark_invoiced(START, END, user=manager, organization=jelinek)
    assert run.lines == 2 and run.total == Decimal("3645.13")
    left = pending()
    assert len(left) == 3 and "Pekárna Horák s.r.o." in {li.organization for li in left}
    assert jelinek.name not in {li.organization for li in left}
    # last December's work and next year's service are outside the period: still pending
    assert export.build_lines(dt.date(2025, 12, 1), dt.date(2025, 12, 31), pending=True)
    assert export.build_lines(dt.date(2027, 1, 1), dt.date(2027, 1, 31), pending=True)


def test_a_vendors_marking_takes_its_own_lines_only(work):
    manager = staff("hrplus-manager")
    run = invoicing.mark_invoiced(START, END, user=manager, vendor=work["hrplus"])
    assert run.lines == 2 and run.vendor == work["hrplus"]
    assert {li.reference[:4] for li in pending()} == {"EST-", "spra", "vzda"}


def test_the_page_marks_and_cancels(client, work):
    client.force_login(staff("hrplus-manager"))
    page = client.get(URL, _params("html")).content.decode()
    assert 'id="billing-mark"' in page and "označte 2 řádky jako vyfakturované" in page
    r = client.post(MARK, {**_params("html"), "reference": "FV-7"}, follow=True)
    page = r.content.decode()
    assert "Označeno jako vyfakturované (FV-7): počet řádků 2, celkem 1119,25 Kč s DPH." in page
    assert "V tomto období není nic k fakturaci." in page and 'id="billing-mark"' not in page
    assert 'id="invoicings"' in page and "FV-7" in page
    again = client.get(URL, {**_params("html"), "include_invoiced": "on"}).content.decode()
    assert again.count('class="invoiced"') == 2
    csv = client.get(URL, _params("csv")).content.decode("utf-8-sig")
    assert "Pekárna" not in csv  # the download offers only what is still to invoice
    twice = client.post(MARK, _params("html"), follow=True).content.decode()
    assert "nic, co by ještě nebylo vyfakturováno" in twice

    run = Invoicing.objects.get()
    r = client.post(f"/desk/billing/invoicings/{run.pk}/cancel/", follow=True)
    assert "Označení FV-7 zrušeno" in r.content.decode()
    assert not Invoicing.objects.exists()
    assert "Pekárna" in client.get(URL, _params("csv")).content.decode("utf-8-sig")


def test_another_vendors_marking_cannot_be_cancelled(client, work):
    run = invoicing.mark_invoiced(START, END, user=staff("hrplus-manager"), vendor=work["hrplus"])
    client.force_login(staff("estelar-manager"))
    assert client.post(f"/desk/billing/invoicings/{run.pk}/cancel/").status_code == 404
    page = client.get(URL, _params("html")).content.decode()
    assert "Naposledy vyfakturováno" not in page
    client.force_login(staff("hrplus-agent"))  # no billing role
    assert client.post(MARK, _params("html")).status_code == 404
    assert client.post(f"/desk/billing/invoicings/{run.pk}/cancel/").status_code == 404
    assert Invoicing.objects.filter(pk=run.pk).exists()


def test_a_superuser_marks_every_vendor_at_once(client, work, admin):
    client.force_login(admin)
    page = client.get(URL, _params("html")).content.decode()
    assert "označte 5 řádků jako vyfakturované" in page  # Czech has a third plural form
    client.post(MARK, _params("html"))
    run = Invoicing.objects.get()
    assert run.vendor is None and run.lines == 5 and str(run) == f"#{run.pk}"
    client.force_login(staff("hrplus-manager"))
    assert client.post(f"/desk/billing/invoicings/{run.pk}/cancel/").status_code == 404
