"""A report's table exported to CSV (streamed) and XLSX, neutralising formula injection.

A cell a spreadsheet would run as a formula (text starting with = + - @, or a tab or carriage
return before one) gets a leading apostrophe, so a customer's subject "=HYPERLINK(…)" stays text.
Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutral(value):
    """A cell as it is safe to write: text that could start a formula is prefixed with '."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, date):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


@dataclass
class Table:
    name: str  #: file name part, e.g. "backlog-state"
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]


class _Echo:
    def write(self, value):
        return value


def _csv_lines(table: Table) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow([neutral(h) for h in table.headers])
    for row in table.rows:
        yield writer.writerow(
            [v.isoformat() if isinstance(v, (date, datetime)) else neutral(v) for v in row]
        )


def csv_response(table: Table) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_lines(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{table.name}.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def xlsx_bytes(table: Table) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)  # rows are written as they come, not held as cells
    sheet = book.create_sheet(str(table.title)[:31] or "List")
    sheet.append([neutral(h) for h in table.headers])
    for row in table.rows:
        sheet.append([neutral(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_response(table: Table) -> HttpResponse:
    response = HttpResponse(
        xlsx_bytes(table),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{table.name}.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
