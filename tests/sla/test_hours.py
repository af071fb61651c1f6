"""A calendar's week in words, table-driven: what customers read next to each channel."""

import pytest

from podpora.sla.hours import week_in_words

CS = dict(zip(("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
              ("po", "út", "st", "čt", "pá", "so", "ne"), strict=True))  # fmt: skip
WORKDAYS = {d: [["08:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}
HARMONIK = {
    "mon": [["08:30", "17:00"]],
    "tue": [["08:30", "17:00"]],
    "wed": [["08:30", "18:00"]],
    "thu": [["08:30", "17:00"]],
    "fri": [["10:00", "16:30"]],
}

CASES = {
    "cloudempiere-phone": (WORKDAYS, "po–pá 8:00–17:00"),
    "harmonik-hotline": (HARMONIK, "po, út, čt 8:30–17:00; st 8:30–18:00; pá 10:00–16:30"),
    "nonstop": ({d: [["00:00", "24:00"]] for d in CS}, "nonstop"),
    "split-shift": (
        {"mon": [["08:00", "12:00"], ["13:00", "16:30"]]},
        "po 8:00–12:00, 13:00–16:30",
    ),
    "weekend": ({"sat": [["09:00", "12:00"]], "sun": [["09:00", "12:00"]]}, "so, ne 9:00–12:00"),
    "closed": ({}, "zavřeno"),
}


@pytest.mark.parametrize("week,expected", CASES.values(), ids=CASES.keys())
def test_week_in_words(week, expected):
    assert week_in_words(week, CS, nonstop="nonstop", closed="zavřeno") == expected
