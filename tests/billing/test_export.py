"""Billing export: billable time and yearly services due, CSV for Czech Excel and XLSX, with VAT."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from podpora.billing import export
from podpora.billing.services import log_time

from .conftest import TODAY, file_ticket, staff

START, END = dt.date(2026, 1, 1), dt.date(2026, 3, 31)


EXPECTED = [
    # reference prefix, base, VAT rate, VAT, total
    ("EST-", "675.00", "21.00", "141.75", "816.75"),
    ("HRP-", "750.00", "21.00", "157.50", "907.50"),
    ("HRP-", "175.00", "21.00", "36.75", "211.75"),
    ("sprava-serveru/2026", "12.50", "21.00", "2.63", "15.13"),
    ("vzdaleny-pristup-pc/2026", "3000.00", "21.00", "630.00", "3630.00"),
]
TOTALS = (Decimal("4612.50"), Decimal("968.63"), Decimal("5581.13"))


def _key(row):
    return (row[0], row[1])


def test_lines_and_totals_rounded_to_halere(work):
    lines = export.build_lines(START, END)
    got = sorted(
        (li.reference if "/" in li.reference else li.reference[:4], str(li.base),
         str(li.vat_rate), str(li.vat), str(li.total))
        for li in lines
    )  # fmt: skip
    assert got == sorted(EXPECTED)
    t = export.totals(lines)
    assert (t.base, t.vat, t.total) == TOTALS


def test_one_organisation_only(work):
    lines = export.build_lines(START, END, organization=work["jelinek"])
    assert {li.organization for li in lines} == {"Účetnictví Jelínek s.r.o."}
    assert export.totals(lines).total == Decimal("3645.13")


def _cz(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def test_csv_is_for_czech_excel(work):
    data = export.to_csv(export.build_lines(START, END))
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Organizace" and rows[0][-1] == "Celkem s DPH (Kč)"
    body, total = rows[1:-1], rows[-1]
    assert len(body) == 5
    assert sum(_cz(r[9]) for r in body) == TOTALS[0]
    assert (total[0], _cz(total[9]), _cz(total[11]), _cz(total[12])) == ("Celkem", *TOTALS)
    bartos = next(r for r in body if r[4].startswith("EST-"))
    assert bartos[3] == "02.03.2026" and bartos[6] == "0,75" and bartos[8] == "900,00"
    assert "Mlékárna" not in data.decode("utf-8-sig")


def test_xlsx_reads_back_with_the_same_totals(work):
    book = load_workbook(io.BytesIO(export.to_xlsx(export.build_lines(START, END))))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][9] == "Základ bez DPH (Kč)"
    body, total = rows[1:-1], rows[-1]
    money = [(Decimal(str(r[9])), Decimal(str(r[11])), Decimal(str(r[12]))) for r in body]
    assert sum(m[0] for m in money) == TOTALS[0]
    assert sum(m[1] for m in money) == TOTALS[1]
    assert tuple(Decimal(str(total[i])).quantize(Decimal("0.01")) for i in (9, 11, 12)) == TOTALS
    assert isinstance(body[0][3], dt.datetime)  # a real date cell


def test_text_never_becomes_a_formula(seed):
    vendor = seed("estelar")
    ticket = file_ticket(
        vendor, "estelar-bartos", channel="phone", subject='=HYPERLINK("http://x","klik")'
    )
    log_time(ticket, staff("estelar-agent"), 15, "", worked_on=TODAY)
    lines = export.build_lines(START, END)
    rows = list(csv.reader(io.StringIO(export.to_csv(lines).decode("utf-8-sig")), delimiter=";"))
    assert rows[1][5].startswith("'=")
    sheet = load_workbook(io.BytesIO(export.to_xlsx(lines))).active
    assert sheet.cell(2, 6).data_type == "s"


URL = "/desk/billing/export/"


def _params(fmt, org=None):
    return {
        "organization": org.pk if org else "",
        "date_from": START,
        "date_to": END,
        "format": fmt,
    }


def test_view_downloads_csv_and_xlsx(client, work, admin):
    client.force_login(admin)
    r = client.get(URL, _params("csv"))
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert r["Content-Disposition"] == 'attachment; filename="fakturace-vse-20260101-20260331.csv"'
    assert r.content.startswith(b"\xef\xbb\xbf")
    r = client.get(URL, _params("xlsx", work["jelinek"]))
    assert r.status_code == 200 and "spreadsheetml" in r["Content-Type"]
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert len(rows) == 4 and Decimal(str(rows[-1][12])) == Decimal("3645.13")


def test_view_preview_and_vendor_scope(client, work):
    manager = staff("hrplus-manager")
    client.force_login(manager)
    page = client.get(URL, _params("html")).content.decode()
    assert "Pekárna Horák s.r.o." in page and "Jelínek" not in page and "Bartoš" not in page
    assert (
        "1\xa0119,25" in page
    )  # HR Plus only: 907,50 + 211,75 (Czech decimal comma, spaced thousands)
    form = client.get(URL).content.decode()
    assert "Stavebniny" not in form  # another vendor's organisations are not offered
    bad = client.get(URL, _params("csv", work["jelinek"]))
    assert bad.status_code == 200 and "Vyberte platnou možnost" in bad.content.decode()


def test_view_checks_the_period(client, work, admin):
    client.force_login(admin)
    r = client.get(URL, {"date_from": END, "date_to": START, "format": "csv"})
    assert (
        r.status_code == 200 and "Konec období nesmí být před jeho začátkem." in r.content.decode()
    )


@pytest.mark.parametrize("username", ["hrplus-agent", "hrplus-novak"])
def test_view_is_for_billing_staff_only(client, work, username):
    client.force_login(staff(username))
    assert client.get(URL, _params("csv")).status_code == 404
