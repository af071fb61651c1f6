"""ESTELAR: when HOTLINE START ends the customer gets the proforma invoice itself (a PDF with
the paid plans' prices, both parties' IČO/DIČ, a variable symbol and a due date); billing
staff mark it paid on their page, and the chosen plan is active from START's end."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pypdf
import pytest
from django.core import mail

from podpora.billing.models import Proforma
from podpora.customers.jobs import offer_start_renewals
from podpora.customers.models import Contract, Licence, Organization
from podpora.customers.services import evaluate_ticket

from .conftest import TODAY, file_ticket, staff

END = TODAY + dt.timedelta(days=140)  # Obec Rusava's START (ACS-2026-0147)


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def estelar(seed, django_capture_on_commit_callbacks):
    from podpora.billing.models import VendorBilling

    vendor = seed("estelar")  # its invoicing details come with its profile
    assert VendorBilling.objects.get(vendor=vendor).legal_name == "ESTELAR s.r.o."
    Organization.objects.filter(name="Obec Rusava").update(dic="CZ00287351")
    billing = staff("estelar-manager")
    billing.role = "billing"
    billing.email = "obchod@estelar.example"
    billing.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert offer_start_renewals(END - dt.timedelta(days=30)) == ["ACS-2026-0147"]
    return vendor


def test_the_offer_carries_the_proforma_pdf(estelar):
    customer = next(m for m in mail.outbox if "estelar-kratochvil@zakaznik.example" in m.to)
    [(filename, content, mimetype)] = customer.attachments
    assert mimetype == "application/pdf" and filename.endswith(".pdf")
    proforma = Proforma.objects.get()
    text = pdf_text(content)
    assert f"Zálohová faktura {proforma.number}" in text
    for name, total in [
        ("HOTLINE", "11 616,00 Kč"),
        ("HOTLINE+", "17 424,00 Kč"),
        ("HOTLINE speciál", "26 136,00 Kč"),
    ]:
        assert f"{name} " in text and total.replace(" ", "\u00a0") in text or total in text
    assert "ESTELAR s.r.o." in text and "45678901" in text and "CZ45678901" in text
    assert "Obec Rusava" in text and "00287351" in text and "CZ00287351" in text
    assert "Rusava 55 768 41 Rusava" in text  # the customer's postal address
    assert f"Variabilní symbol {proforma.variable_symbol}" in text
    due = proforma.due_on
    assert f"Datum splatnosti {due.day}. {due.month}. {due.year}" in text
    assert proforma.variable_symbol.isdigit()
    body = customer.body
    assert proforma.number in body and proforma.variable_symbol in body
    assert "HOTLINE+: 17" in body


def test_billing_staff_mark_it_paid_from_their_menu_and_the_plan_is_active(estelar, client):
    proforma = Proforma.objects.get()
    client.force_login(staff("estelar-manager"))
    menu = client.get("/desk/").content.decode()
    assert 'href="/desk/billing/proformas/"' in menu
    page = client.get("/desk/billing/proformas/").content.decode()
    assert proforma.number in page and "Označit jako uhrazenou" in page
    pdf = client.get(f"/desk/billing/proformas/{proforma.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")

    ticket_after = file_ticket(
        estelar, "estelar-kratochvil", channel="portal", on=END + dt.timedelta(days=5)
    )
    assert evaluate_ticket(ticket_after, END + dt.timedelta(days=5))[0].status != "covered"

    paid_on = TODAY if TODAY >= proforma.issued_on else proforma.issued_on
    answer = client.post(
        f"/desk/billing/proformas/{proforma.pk}/paid/",
        {f"{proforma.pk}-plan": "hotline-plus", f"{proforma.pk}-paid_on": paid_on.isoformat()},
        follow=True,
    )
    text = answer.content.decode()
    assert "je uhrazena" in text, text[-3000:]
    proforma.refresh_from_db()
    assert proforma.status == "paid" and proforma.paid_plan.code == "hotline-plus"
    contract = Contract.objects.get(pk=proforma.contract_id)
    # from the day after START ends, or from the payment when it came later
    assert contract.valid_from == max(END + dt.timedelta(days=1), paid_on)
    assert contract.valid_to == contract.valid_from.replace(
        year=contract.valid_from.year + 1
    ) - dt.timedelta(days=1)
    on = contract.valid_from + dt.timedelta(days=5)
    ticket_paid = file_ticket(estelar, "estelar-kratochvil", channel="portal", on=on)
    result, plan = evaluate_ticket(ticket_paid, on)
    assert result.status == "covered" and plan.code == "hotline-plus"

    again = client.post(
        f"/desk/billing/proformas/{proforma.pk}/paid/",
        {f"{proforma.pk}-plan": "hotline", f"{proforma.pk}-paid_on": paid_on.isoformat()},
        follow=True,
    )
    assert again.status_code == 200
    assert (
        Contract.objects.filter(
            organization=proforma.organization, plan__code__startswith="hotline"
        ).count()
        == 1
    )


def test_an_agent_has_no_billing_pages(estelar, client):
    client.force_login(staff("estelar-agent"))
    assert client.get("/desk/billing/proformas/").status_code == 404
    assert 'href="/desk/billing/proformas/"' not in client.get("/desk/").content.decode()


def test_unpaid_stays_warranty_and_billable(estelar):
    later = END + dt.timedelta(days=5)
    ticket = file_ticket(estelar, "estelar-kratochvil", channel="portal", on=later)
    result, plan = evaluate_ticket(ticket, later)
    assert plan is not None and plan.code == "zarucni"
    assert Licence.objects.get(number="ACS-2026-0147").start_proforma.status == "issued"
    assert Decimal(Proforma.objects.get().offers[0]["price"]) == Decimal("9600.00")


def test_without_a_pdf_renderer_the_offer_still_goes(
    seed, monkeypatch, django_capture_on_commit_callbacks
):
    from podpora.billing import proforma as service

    def broken(*_args, **_kwargs):
        raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(service, "render_pdf", broken)
    seed("estelar")
    with django_capture_on_commit_callbacks(execute=True):
        assert offer_start_renewals(END - dt.timedelta(days=30)) == ["ACS-2026-0147"]
    proforma = Proforma.objects.get()
    assert proforma.pdf_id is None
    customer = next(m for m in mail.outbox if "estelar-kratochvil@zakaznik.example" in m.to)
    assert customer.attachments == [] and proforma.variable_symbol in customer.body
    assert "pošle naše obchodní oddělení" in customer.body
