"""Dates read in the reader's language on every page, letter and history entry."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from podpora.core.days import day
from podpora.tickets.history import when

INSTANT = datetime(2026, 12, 3, 9, 14, 5, 123456, tzinfo=UTC)  # 10:14 in Prague

ROWS = [
    ("cs", "SHORT_DATE_FORMAT", "3. 12. 2026"),
    ("cs", "SHORT_DATETIME_FORMAT", "3. 12. 2026 10:14"),
    ("cs", "MONTH_DAY_FORMAT", "3. 12."),
    ("cs", "YEAR_MONTH_FORMAT", "12/2026"),
    ("sk", "SHORT_DATE_FORMAT", "3. 12. 2026"),
    ("sk", "SHORT_DATETIME_FORMAT", "3. 12. 2026 10:14"),
    ("en", "SHORT_DATE_FORMAT", "3 Dec 2026"),
    ("en", "SHORT_DATETIME_FORMAT", "3 Dec 2026, 10:14"),
    ("en", "MONTH_DAY_FORMAT", "3 Dec"),
    ("en", "YEAR_MONTH_FORMAT", "Dec 2026"),
]


@pytest.mark.parametrize("lang,name,expected", ROWS)
def test_a_template_writes_the_date_as_the_reader_does(lang, name, expected):
    with translation.override(lang):
        template = Template('{{ at|date:"' + name + '" }}')
        text = template.render(Context({"at": INSTANT}))
    assert text == expected


@pytest.mark.parametrize(
    "lang,instant,on",
    [
        ("cs", "3. 12. 2026 10:14", "1. 7. 2026"),
        ("sk", "3. 12. 2026 10:14", "1. 7. 2026"),
        ("en", "3 Dec 2026, 10:14", "1 Jul 2026"),
    ],
)
def test_history_and_letters_use_the_same_formats(lang, instant, on):
    with translation.override(lang):
        assert when(INSTANT) == instant
        assert when(INSTANT.isoformat()) == instant
        assert day(date(2026, 7, 1)) == on
        assert when("2026-07-01") == on


def test_no_template_writes_a_date_pattern_of_one_language():
    """A pattern such as ``|date:"j. n. Y"`` reads Czech to everyone; templates name a format."""
    root = Path(__file__).parents[2] / "src" / "podpora" / "templates"
    pattern = re.compile(r"\|date:[\"'](?!c[\"']|U[\"']|Y-m[\"']|[A-Z_]+[\"'])[^\"']*[\"']")
    found = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for path in root.rglob("*")
        if path.is_file()
        for match in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
