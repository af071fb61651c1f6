"""Numbers from a request and list cursors: every text gives a value the database can hold."""

import datetime as dt

import pytest

from podpora.core.paging import MAX_ID, decode_cursor, encode_cursor, parse_id, parse_page


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1),
        (" 42 ", 42),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("9999999999999999999999", None),
        ("999999999999999999999999999999", None),
        ("0", None),
        ("-5", None),
        ("12a", None),
        ("", None),
        ("١٢", None),  # Arabic-Indic digits are digits to Python, not to SQL
        ("²", None),
        (None, None),
        (12, None),
    ],
)
def test_parse_id(text, expected):
    assert parse_id(text) == expected


@pytest.mark.parametrize(
    ("text", "last", "expected"),
    [
        (None, 10, (1, False)),
        ("", 10, (1, False)),
        ("3", 10, (3, False)),
        ("10", 10, (10, False)),
        ("11", 10, (10, True)),
        ("9223372036854775807", 10, (10, True)),
        ("14926434489300397588480", 10, (10, True)),
        ("9" * 400, 10, (1, True)),
        ("0", 10, (1, True)),
        ("-149", 10, (1, True)),
        ("abc", 10, (1, True)),
        ("5", 0, (1, True)),
    ],
)
def test_parse_page(text, last, expected):
    assert parse_page(text, last) == expected


def test_cursor_round_trip_keeps_the_microsecond():
    at = dt.datetime(2026, 12, 3, 10, 14, 5, 123457, tzinfo=dt.UTC)
    assert decode_cursor(encode_cursor(at, 987654321)) == (at, 987654321)


@pytest.mark.parametrize(
    "text", ["", "x", "!!!!", "MTIz", "LTEuMA", "OTk5OTk5OTk5OTk5OTk5OTk5LjE", "a" * 81]
)
def test_foreign_cursor_is_refused(text):
    assert decode_cursor(text) is None
