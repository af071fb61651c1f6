"""A calendar's week in words, table-driven: what customers read next to each channel."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from podpora.sla.hours import day_text, parse_day, week_in_words

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


_times = st.tuples(st.integers(0, 24), st.sampled_from(["00", "15", "30", "45"])).map(
    lambda t: f"{t[0]:02d}:{t[1]}"
)


@given(st.lists(st.tuples(_times, _times), max_size=4))
def test_a_day_written_as_text_reads_back_the_same(shifts):
    shifts = [list(s) for s in shifts]
    assert parse_day(day_text(shifts)) == shifts


@pytest.mark.parametrize(
    ("typed", "shifts"),
    [
        ("", []),
        ("8:00–16:30", [["08:00", "16:30"]]),
        ("8-16:30", [["08:00", "16:30"]]),
        ("8:00 – 12:00; 13–17", [["08:00", "12:00"], ["13:00", "17:00"]]),
        (" 07:30—11:00 , ", [["07:30", "11:00"]]),
        ("22:00-06:00", [["22:00", "06:00"]]),
        ("8.00–16.30", [["08:00", "16:30"]]),
    ],
)
def test_a_day_as_people_type_it(typed, shifts):
    assert parse_day(typed) == shifts


@pytest.mark.parametrize("typed", ["od rána", "8:00", "8:00–", "8:0–16:00", "8:00–16:30 x"])
def test_what_is_no_shift_is_named(typed):
    with pytest.raises(ValueError):
        parse_day(typed)
