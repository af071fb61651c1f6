"""A day as the pages and letters write it in the reader's language: "1. 12. 2026" (en "1 Dec 2026")."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import formats, timezone


def day(value: date | datetime) -> str:
    """A date, or an instant in local time (Europe/Prague)."""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return formats.date_format(value, "SHORT_DATE_FORMAT")
