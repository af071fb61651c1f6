"""Table-driven checks of the SLA clock against the five vendors' rules and ACCEPTANCE.md §3.

Every expected value below was worked out by hand from a wall calendar (2026: 1 Jan is a
Thursday; DST starts 29 Mar and ends 25 Oct; Czech holidays include Good Friday 3 Apr, Easter
Monday 6 Apr, 1 and 8 May, 28 Oct, 24–26 Dec).
"""

from __future__ import annotations

import json
import os
import threading
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from podpora.sla.clock import (
    Calendar,
    CalendarError,
    CompiledCalendar,
    NoWorkingTimeError,
    Target,
    Unit,
    compile_calendar,
    due,
    due_business,
    due_seconds,
    elapsed,
    parse_target,
    resolve,
)


@pytest.fixture(autouse=True)
def _isolated() -> None:
    """Replaces tests/conftest.py's Django-settings fixture: these tests are pure and must also
    run with ``-p no:django``."""


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


def spec(
    tz: str,
    week: dict[str, list[list[str]]],
    countries: tuple[str, ...] = (),
    dates: tuple[str, ...] = (),
) -> dict[str, Any]:
    return {
        "timezone": tz,
        "week": week,
        "holidays": {"countries": list(countries), "dates": list(dates)},
    }


def weekdays(*intervals: tuple[str, str]) -> dict[str, list[list[str]]]:
    return {d: [list(i) for i in intervals] for d in WEEKDAYS}


def every_day(*intervals: tuple[str, str]) -> dict[str, list[list[str]]]:
    return {d: [list(i) for i in intervals] for d in (*WEEKDAYS, "sat", "sun")}


HARMONIK_WEEK = {
    "mon": [["08:30", "17:00"]],
    "tue": [["08:30", "17:00"]],
    "wed": [["08:30", "18:00"]],
    "thu": [["08:30", "17:00"]],
    "fri": [["10:00", "16:30"]],
    "sat": [],
    "sun": [],
}
CALENDARS = {
    # Harmonik: hotline and e-mail hours, Czech holidays.
    "harmonik": Calendar.from_dict(spec("Europe/Prague", HARMONIK_WEEK, ("CZ",))),
    # The example file of ACCEPTANCE.md §3 (Harmonik plus an own day off on 31 Dec 2026).
    "acceptance": Calendar.from_dict(
        spec("Europe/Prague", HARMONIK_WEEK, ("CZ",), ("2026-12-31",))
    ),
    # InTouch CRM: phone on working days 8:00–16:00.
    "intouch": Calendar.from_dict(spec("Europe/Prague", weekdays(("08:00", "16:00")), ("CZ",))),
    # ESTELAR: working days 8:00–17:00.
    "estelar": Calendar.from_dict(spec("Europe/Prague", weekdays(("08:00", "17:00")), ("CZ",))),
    # cloudempiere: 365 days a year, 24/7.
    "cloudempiere": Calendar.from_dict(spec("Europe/Bratislava", every_day(("00:00", "24:00")))),
    "split": Calendar.from_dict(
        spec("Europe/Prague", weekdays(("08:00", "12:00"), ("13:00", "17:00")), ("CZ",))
    ),
    # Night shift Mon–Fri 22:00–06:00 (UTC), with an own day off on Tue 13 Jan 2026.
    "night": Calendar.from_dict(spec("UTC", weekdays(("22:00", "06:00")), (), ("2026-01-13",))),
    "night_prague": Calendar.from_dict(spec("Europe/Prague", every_day(("22:00", "06:00")))),
    "sun_gap": Calendar.from_dict(spec("Europe/Prague", {"sun": [["01:00", "04:00"]]})),
    "sun_in_gap": Calendar.from_dict(spec("Europe/Prague", {"sun": [["02:30", "05:00"]]})),
    "sun_in_fold": Calendar.from_dict(spec("Europe/Prague", {"sun": [["02:30", "04:00"]]})),
    "yearly": Calendar.from_dict(spec("Europe/Prague", HARMONIK_WEEK, ("CZ",), ("12-31",))),
}

# (calendar, start, target, expected due, why)
DUE_CASES = [
    # Harmonik: e-mail answered within 2 working days; data analysis within 3.
    (
        "harmonik",
        "2026-01-12T10:00",
        "2wd",
        "2026-01-14T18:00:00+01:00",
        "Mon receipt, Wed closes 18:00",
    ),
    (
        "harmonik",
        "2026-01-15T17:30",
        "2wd",
        "2026-01-20T17:00:00+01:00",
        "after Thu closing: receipt Fri",
    ),
    (
        "harmonik",
        "2026-01-15T17:00",
        "2wd",
        "2026-01-20T17:00:00+01:00",
        "exactly at closing: receipt Fri",
    ),
    ("harmonik", "2026-01-15T16:59:59", "2wd", "2026-01-19T17:00:00+01:00", "just before closing"),
    ("harmonik", "2026-01-17T09:00", "2wd", "2026-01-21T18:00:00+01:00", "Saturday: receipt Mon"),
    (
        "harmonik",
        "2026-12-23T12:00",
        "3wd",
        "2026-12-30T18:00:00+01:00",
        "over Christmas 24-26 Dec",
    ),
    (
        "harmonik",
        "2026-04-02T16:59",
        "3wd",
        "2026-04-09T17:00:00+02:00",
        "Good Friday, Easter Monday",
    ),
    (
        "harmonik",
        "2026-01-16T09:00",
        "0wd",
        "2026-01-16T16:30:00+01:00",
        "0wd before opening: same day",
    ),
    ("harmonik", "2026-01-16T16:30", "0wd", "2026-01-19T17:00:00+01:00", "0wd at Fri closing: Mon"),
    ("harmonik", "2026-01-16T16:00", "90m", "2026-01-19T09:30:00+01:00", "30 min Fri + 60 min Mon"),
    ("harmonik", "2026-01-12T08:30", "8h", "2026-01-12T16:30:00+01:00", "inside one day"),
    (
        "harmonik",
        "2026-01-12T08:30",
        "510m",
        "2026-01-12T17:00:00+01:00",
        "ends at closing, not next opening",
    ),
    (
        "harmonik",
        "2026-01-12T08:30",
        "511m",
        "2026-01-13T08:31:00+01:00",
        "one minute more: next day",
    ),
    ("harmonik", "2026-10-28T10:00", "60m", "2026-10-29T09:30:00+01:00", "start on 28 Oct holiday"),
    ("harmonik", "2026-01-13T07:00", "30m", "2026-01-13T09:00:00+01:00", "start before hours"),
    ("harmonik", "2026-01-18T12:00", "1h", "2026-01-19T09:30:00+01:00", "start on Sunday"),
    ("harmonik", "2026-01-14T23:00", "1h", "2026-01-15T09:30:00+01:00", "start after hours"),
    ("harmonik", "2026-01-18T12:00", "0m", "2026-01-18T12:00:00+01:00", "0 is the start itself"),
    ("harmonik", "2026-03-27T12:00", "7d", "2026-04-03T12:00:00+02:00", "calendar days over DST"),
    (
        "harmonik",
        "2025-12-31T17:00",
        "2h",
        "2026-01-02T11:00:00+01:00",
        "Wed to 18:00, 1 Jan off, Fri 10:00",
    ),
    (
        "harmonik",
        "2026-01-12T10:00:00.250000",
        "1h",
        "2026-01-12T11:00:00.250000+01:00",
        "microseconds kept",
    ),
    ("harmonik", "2026-01-12T09:00:00Z", "1h", "2026-01-12T11:00:00+01:00", "start with an offset"),
    # ACCEPTANCE.md §3 example and own dates.
    (
        "acceptance",
        "2026-12-23T12:00",
        "2wd",
        "2026-12-29T17:00:00+01:00",
        "the documented example",
    ),
    (
        "acceptance",
        "2026-12-30T12:00",
        "1wd",
        "2027-01-04T17:00:00+01:00",
        "own 31 Dec + 1 Jan off",
    ),
    (
        "acceptance",
        "2026-12-30T17:45",
        "30m",
        "2027-01-04T08:45:00+01:00",
        "own day off, business time",
    ),
    ("harmonik", "2026-12-30T12:00", "1wd", "2026-12-31T17:00:00+01:00", "without own day off"),
    ("yearly", "2027-12-30T12:00", "1wd", "2028-01-03T17:00:00+01:00", "yearly own day 12-31"),
    # InTouch: serious problems by the next working day (1wd); less serious within a week (7d).
    ("intouch", "2026-01-12T09:00", "1wd", "2026-01-13T16:00:00+01:00", "next working day"),
    ("intouch", "2026-05-01T10:00", "1wd", "2026-05-05T16:00:00+02:00", "on 1 May: receipt Mon 4"),
    (
        "intouch",
        "2026-05-07T17:00",
        "1wd",
        "2026-05-12T16:00:00+02:00",
        "8 May off: receipt Mon 11",
    ),
    ("intouch", "2026-12-23T15:00", "1wd", "2026-12-28T16:00:00+01:00", "Christmas"),
    ("intouch", "2026-12-31T10:00", "1wd", "2027-01-04T16:00:00+01:00", "New Year's Day"),
    ("intouch", "2026-01-12T15:59", "0wd", "2026-01-12T16:00:00+01:00", "same day"),
    ("intouch", "2026-01-12T09:15", "7d", "2026-01-19T09:15:00+01:00", "within a week"),
    ("intouch", "2026-10-20T10:00", "7d", "2026-10-27T10:00:00+01:00", "a week over DST end"),
    ("intouch", "2026-01-12T10:00", "0d", "2026-01-12T10:00:00+01:00", "0d is the start"),
    # ESTELAR: processing within 3 working days, 8:00–17:00.
    ("estelar", "2026-10-26T10:00", "3wd", "2026-10-30T17:00:00+01:00", "28 Oct holiday"),
    (
        "estelar",
        "2026-12-18T18:00",
        "3wd",
        "2026-12-28T17:00:00+01:00",
        "Friday evening, Christmas",
    ),
    ("estelar", "2026-03-29T03:30", "3wd", "2026-04-02T17:00:00+02:00", "DST Sunday start"),
    ("estelar", "2026-03-27T17:00", "9h", "2026-03-30T17:00:00+02:00", "over the DST weekend"),
    # cloudempiere 24/7: real elapsed time across DST.
    (
        "cloudempiere",
        "2026-03-28T22:00",
        "8h",
        "2026-03-29T07:00:00+02:00",
        "spring forward: 8 real hours",
    ),
    (
        "cloudempiere",
        "2026-10-24T22:00",
        "8h",
        "2026-10-25T05:00:00+01:00",
        "fall back: 8 real hours",
    ),
    (
        "cloudempiere",
        "2026-12-26T10:00",
        "2wd",
        "2026-12-29T00:00:00+01:00",
        "no holidays, closes 24:00",
    ),
    ("cloudempiere", "2026-01-01T23:00", "90m", "2026-01-02T00:30:00+01:00", "over midnight"),
    (
        "cloudempiere",
        "2026-03-29T02:30",
        "0m",
        "2026-03-29T03:00:00+02:00",
        "naive in the gap: forward",
    ),
    (
        "cloudempiere",
        "2026-10-25T02:30",
        "0m",
        "2026-10-25T02:30:00+02:00",
        "ambiguous: first (fold=0)",
    ),
    # Split shifts.
    ("split", "2026-01-12T10:00", "4h", "2026-01-12T15:00:00+01:00", "over lunch"),
    ("split", "2026-01-12T10:00", "2h", "2026-01-12T12:00:00+01:00", "at lunch closing"),
    ("split", "2026-01-12T12:30", "30m", "2026-01-12T13:30:00+01:00", "start at lunch"),
    ("split", "2026-01-12T12:30", "0wd", "2026-01-12T17:00:00+01:00", "last closing of the day"),
    ("split", "2026-01-12T17:00", "0wd", "2026-01-13T17:00:00+01:00", "after last closing"),
    (
        "split",
        "2026-01-12T12:00",
        "0wd",
        "2026-01-12T17:00:00+01:00",
        "at a closing that is not the last",
    ),
    # Overnight shifts: an interval belongs to the day it starts on.
    (
        "night",
        "2026-01-12T05:00",
        "2h",
        "2026-01-13T00:00:00+00:00",
        "no Sun shift: Mon 22:00 + 2h",
    ),
    (
        "night",
        "2026-01-15T05:00",
        "2h",
        "2026-01-15T23:00:00+00:00",
        "1h left of Wed night, 1h Thu night",
    ),
    (
        "night",
        "2026-01-15T03:00",
        "0wd",
        "2026-01-16T06:00:00+00:00",
        "Thu receipt, closes Fri 06:00",
    ),
    ("night", "2026-01-15T03:00", "1wd", "2026-01-17T06:00:00+00:00", "Fri's night ends Sat 06:00"),
    ("night", "2026-01-17T03:00", "0wd", "2026-01-20T06:00:00+00:00", "Sat is no working day: Mon"),
    (
        "night",
        "2026-01-13T21:00",
        "60m",
        "2026-01-14T23:00:00+00:00",
        "own day off drops Tue night",
    ),
    ("night", "2026-01-12T22:30", "0wd", "2026-01-13T06:00:00+00:00", "Mon night"),
    ("night", "2026-01-13T05:00", "0wd", "2026-01-15T06:00:00+00:00", "Tue off: receipt Wed"),
    (
        "night_prague",
        "2026-03-28T22:00",
        "8h",
        "2026-03-29T23:00:00+02:00",
        "7 real hours that night",
    ),
    (
        "night_prague",
        "2026-10-24T22:00",
        "10h",
        "2026-10-25T23:00:00+01:00",
        "9 real hours that night",
    ),
    # DST inside an interval.
    (
        "sun_gap",
        "2026-03-29T00:00",
        "2h",
        "2026-03-29T04:00:00+02:00",
        "01:00-04:00 is 2 real hours",
    ),
    ("sun_in_gap", "2026-03-29T00:00", "30m", "2026-03-29T03:30:00+02:00", "02:30 opens at 03:00"),
    ("sun_in_fold", "2026-10-25T00:00", "1h", "2026-10-25T02:30:00+01:00", "opens at first 02:30"),
    ("sun_in_fold", "2026-10-25T00:00", "150m", "2026-10-25T04:00:00+01:00", "2.5 real hours"),
]


@pytest.mark.parametrize(
    ("name", "start", "target", "expected"),
    [c[:4] for c in DUE_CASES],
    ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in DUE_CASES],
)
def test_due(name: str, start: str, target: str, expected: str) -> None:
    got = due(CALENDARS[name], datetime.fromisoformat(start), target)
    assert got.isoformat() == expected
    assert got.tzinfo == ZoneInfo(CALENDARS[name].timezone)


@pytest.mark.parametrize(
    ("name", "start", "target"),
    [c[:3] for c in DUE_CASES if not c[2].endswith("d")],
    ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in DUE_CASES if not c[2].endswith("d")],
)
def test_fast_path_agrees_on_every_business_case(name: str, start: str, target: str) -> None:
    cal = CALENDARS[name]
    moment = resolve(datetime.fromisoformat(start), cal.zone)
    seconds = parse_target(target).business_seconds
    assert seconds is not None
    if moment.microsecond:
        return  # the epoch fast path works in whole seconds
    expected = due(cal, moment, target).timestamp()
    assert compile_calendar(cal).due_epoch(int(moment.timestamp()), seconds) == expected


# (calendar, start, end, expected business minutes, why)
ELAPSED_CASES = [
    ("harmonik", "2026-12-23T12:00", "2026-12-29T12:00", 1080, "Wed 6h + Mon 8.5h + Tue 3.5h"),
    ("harmonik", "2026-01-17T00:00", "2026-01-18T23:59", 0, "weekend"),
    ("harmonik", "2026-01-12T17:00", "2026-01-13T08:30", 0, "night"),
    ("harmonik", "2026-01-13T12:00", "2026-01-12T12:00", 0, "end before start"),
    ("split", "2026-01-12T11:00", "2026-01-12T14:00", 120, "lunch excluded"),
    ("estelar", "2026-03-27T17:00", "2026-03-30T17:00", 540, "DST weekend"),
    ("cloudempiere", "2026-10-24T12:00", "2026-10-25T12:00", 1500, "25 real hours"),
    ("cloudempiere", "2026-03-28T12:00", "2026-03-29T12:00", 1380, "23 real hours"),
    ("night_prague", "2026-03-28T21:00", "2026-03-29T12:00", 420, "short night"),
    ("night_prague", "2026-10-24T21:00", "2026-10-25T12:00", 540, "long night"),
    ("sun_gap", "2026-03-29T00:00", "2026-03-29T12:00", 120, "gap inside the interval"),
    ("sun_in_fold", "2026-10-25T00:00", "2026-10-25T12:00", 150, "fold inside the interval"),
]


@pytest.mark.parametrize(
    ("name", "start", "end", "minutes"),
    [c[:4] for c in ELAPSED_CASES],
    ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in ELAPSED_CASES],
)
def test_elapsed(name: str, start: str, end: str, minutes: int) -> None:
    got = elapsed(CALENDARS[name], datetime.fromisoformat(start), datetime.fromisoformat(end))
    assert got == timedelta(minutes=minutes)


def test_elapsed_over_a_year_counts_every_working_day() -> None:
    """2026 has 252 weekdays of which 10 are Czech holidays (Jan 1, Apr 3, 6, May 1, 8, Jul 6,
    Sep 28, Oct 28, Nov 17, Dec 24, Dec 25; Jul 5 and Dec 26 fall on weekends) → 11 weekday
    holidays; Harmonik's week is 8.5 × 3 + 9.5 + 6.5 = 41.5 hours."""
    cal = CALENDARS["harmonik"]
    start, end = date(2026, 1, 1), date(2027, 1, 1)
    off = {d for d in cal.holidays_between(2026, 2026)}
    per_day = {0: 510, 1: 510, 2: 570, 3: 510, 4: 390}
    expected = 0
    day = start
    while day < end:
        if day.weekday() < 5 and day not in off:
            expected += per_day[day.weekday()]
        day += timedelta(days=1)
    weekday_holidays = sum(1 for d in off if d.weekday() < 5)
    assert weekday_holidays == 11
    got = elapsed(cal, datetime(2026, 1, 1), datetime(2027, 1, 1))
    assert got == timedelta(minutes=expected)


def test_czech_holidays_present() -> None:
    off = CALENDARS["harmonik"].holidays_between(2024, 2027)
    for d in ("2026-12-24", "2026-12-25", "2026-12-26", "2027-01-01", "2026-04-06", "2026-10-28"):
        assert date.fromisoformat(d) in off
    assert date(2026, 12, 31) not in off


def _corpus() -> Path | None:
    root = os.environ.get("PODPORA_CORPUS")
    path = Path(root) if root else Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
    return path if (path / "sla" / "holidays_cz_sk_2024_2027.json").is_file() else None


@pytest.mark.skipif(_corpus() is None, reason="shared corpus (../shared/corpus) not present")
@pytest.mark.parametrize(("country", "years"), [("CZ", (2024, 2027)), ("SK", (2024, 2025))])
def test_holidays_match_corpus_list(country: str, years: tuple[int, int]) -> None:
    """SK after 2025 is left out: the corpus notes that Slovak law keeps changing those years."""
    corpus = _corpus()
    assert corpus is not None
    data = json.loads((corpus / "sla" / "holidays_cz_sk_2024_2027.json").read_text())
    expected = {
        date.fromisoformat(h["date"])
        for h in data[country]["public"]
        if years[0] <= int(h["date"][:4]) <= years[1]
    }
    cal = Calendar.from_dict(spec("Europe/Prague", HARMONIK_WEEK, (country,)))
    assert cal.holidays_between(*years) == expected


# --- composition, zero and exactness ----------------------------------------------------------


def test_paused_clock_resumes_with_remaining_business_time() -> None:
    cal = CALENDARS["harmonik"]
    start = datetime(2026, 1, 16, 15, 0, tzinfo=ZoneInfo("Europe/Prague"))
    pause = datetime(2026, 1, 16, 16, 0, tzinfo=ZoneInfo("Europe/Prague"))
    resume = datetime(2026, 1, 20, 9, 0, tzinfo=ZoneInfo("Europe/Prague"))
    target = Target.hours(4)
    assert target.business_time is not None
    remaining = target.business_time - elapsed(cal, start, pause)
    assert remaining == timedelta(hours=3)
    assert due_business(cal, resume, remaining).isoformat() == "2026-01-20T12:00:00+01:00"
    assert due_seconds(cal, resume, 3 * 3600) == due_business(cal, resume, remaining)


def test_zero_business_time_outside_hours_is_the_start() -> None:
    start = datetime(2026, 1, 17, 3, 0, tzinfo=ZoneInfo("UTC"))
    got = due(CALENDARS["harmonik"], start, Target.minutes(0))
    assert got == start
    assert got.tzinfo == ZoneInfo("Europe/Prague")


def test_fast_path_matches_datetime_api() -> None:
    cal = CALENDARS["harmonik"]
    compiled = compile_calendar(cal)
    start = datetime(2026, 4, 2, 15, 17, 3, tzinfo=ZoneInfo("Europe/Prague"))
    epoch = int(start.timestamp())
    assert compiled.due_epoch(epoch, 5400) == int(due(cal, start, "90m").timestamp())
    assert compiled.due_working_days_epoch(epoch, 3) == int(due(cal, start, "3wd").timestamp())
    assert compiled.elapsed_epoch(epoch, epoch + 7 * 86400) == elapsed(
        cal, start, start + timedelta(days=7)
    ) // timedelta(seconds=1)


def test_far_apart_queries_grow_the_window_consistently() -> None:
    cal = CALENDARS["estelar"]
    grown = CompiledCalendar(cal)
    moments = [datetime(y, 6, 15, 12, tzinfo=ZoneInfo("UTC")) for y in (2026, 1995, 2090, 2026)]
    for moment in moments:
        epoch = int(moment.timestamp())
        fresh = CompiledCalendar(cal)
        assert grown.due_epoch(epoch, 40 * 3600) == fresh.due_epoch(epoch, 40 * 3600)
        assert grown.due_working_days_epoch(epoch, 10) == fresh.due_working_days_epoch(epoch, 10)
        year = epoch + 366 * 86400
        assert grown.elapsed_epoch(epoch, year) == fresh.elapsed_epoch(epoch, year)


def test_target_beyond_the_first_window_grows_it() -> None:
    cal = CALENDARS["estelar"]
    start = datetime(2026, 1, 5, 8, tzinfo=ZoneInfo("Europe/Prague"))
    hours = 9 * 250 * 20  # about twenty years of ESTELAR's working time
    end = due(cal, start, Target.hours(hours))
    assert end.year in (2045, 2046)
    assert elapsed(cal, start, end) == timedelta(hours=hours)


def test_concurrent_queries_agree() -> None:
    cal = Calendar.from_dict(spec("Europe/Prague", weekdays(("07:00", "15:30")), ("CZ",)))
    compiled = CompiledCalendar(cal)
    reference = CompiledCalendar(cal)
    starts = [int(datetime(y, 3, 1, tzinfo=ZoneInfo("UTC")).timestamp()) for y in range(2010, 2036)]
    expected = [reference.due_epoch(s, 100 * 3600) for s in starts]
    results: dict[int, list[int]] = {}

    def work(n: int) -> None:
        order = starts[n:] + starts[:n]
        got = {s: compiled.due_epoch(s, 100 * 3600) for s in order}
        results[n] = [got[s] for s in starts]

    threads = [threading.Thread(target=work, args=(n,)) for n in range(0, 26, 4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected for r in results.values())


# --- calendars without working time ----------------------------------------------------------


def test_calendar_without_hours_raises_instead_of_looping() -> None:
    cal = Calendar.from_dict({"timezone": "Europe/Prague", "week": {}})
    start = datetime(2026, 1, 12, 10)
    with pytest.raises(NoWorkingTimeError, match="no working hours"):
        due(cal, start, "1m")
    with pytest.raises(NoWorkingTimeError):
        due(cal, start, "0wd")
    assert elapsed(cal, start, start + timedelta(days=30)) == timedelta(0)
    assert due(cal, start, "7d").isoformat() == "2026-01-19T10:00:00+01:00"
    assert due(cal, start, "0m").isoformat() == "2026-01-12T10:00:00+01:00"


def test_calendar_whose_every_day_is_off_hits_the_horizon() -> None:
    every_day_off = [f"{m:02d}-{d:02d}" for m in range(1, 13) for d in range(1, 32)]
    valid = []
    for text in every_day_off:
        try:
            date(2000, int(text[:2]), int(text[3:]))
        except ValueError:
            continue
        valid.append(text)
    cal = Calendar.from_dict(spec("UTC", {"mon": [["08:00", "09:00"]]}, (), tuple(valid)))
    with pytest.raises(NoWorkingTimeError, match="100 years"):
        due(cal, datetime(2026, 1, 1), "1m")


def test_absurd_target_is_refused_quickly() -> None:
    with pytest.raises(NoWorkingTimeError):
        due(CALENDARS["harmonik"], datetime(2026, 1, 1), Target.hours(10**12))


def test_negative_business_time_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        due_seconds(CALENDARS["harmonik"], datetime(2026, 1, 12, 10), -60)


# --- targets -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "unit", "amount"),
    [
        ("90m", Unit.MINUTES, 90),
        ("8h", Unit.HOURS, 8),
        ("2wd", Unit.WORKING_DAYS, 2),
        ("7d", Unit.CALENDAR_DAYS, 7),
        ("0wd", Unit.WORKING_DAYS, 0),
        ("0m", Unit.MINUTES, 0),
        (" 3WD ", Unit.WORKING_DAYS, 3),
    ],
)
def test_parse_target(text: str, unit: Unit, amount: int) -> None:
    target = parse_target(text)
    assert target == Target(unit, amount)
    assert str(target) == f"{amount}{unit.value}"


@pytest.mark.parametrize("text", ["", "m", "90", "-5m", "1.5h", "2 weeks", "3x", "2dw", "h8"])
def test_parse_target_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="invalid target"):
        parse_target(text)


def test_target_constructors() -> None:
    assert Target.minutes(90) == parse_target("90m")
    assert Target.working_days(2) == Target("wd", 2)  # type: ignore[arg-type]
    assert Target.calendar_days(7).business_time is None
    assert Target.hours(2).business_seconds == 7200
    with pytest.raises(ValueError):
        Target(Unit.MINUTES, -1)
    with pytest.raises(ValueError):
        Target("weeks", 1)  # type: ignore[arg-type]


# --- calendar files ------------------------------------------------------------------------------


def test_from_dict_normalises_and_round_trips() -> None:
    raw = spec(
        "Europe/Prague",
        {"mon": [["13:00", "17:00"], ["8:00", "12:00"]], "fri": [["22:00", "00:00"]]},
        ("cz", "DE-BY"),
        ("2026-12-31", "12-24", "2026-12-31"),
    )
    cal = Calendar.from_dict(raw)
    assert cal.week[0] == (("08:00", "12:00"), ("13:00", "17:00"))
    assert cal.week[4] == (("22:00", "24:00"),)
    assert cal.countries == ("CZ", "DE-BY")
    assert cal.dates == ("12-24", "2026-12-31")
    again = Calendar.from_dict(cal.to_dict())
    assert again == cal and hash(again) == hash(cal)
    assert compile_calendar(again) is compile_calendar(cal)
    assert json.loads(json.dumps(cal.to_dict())) == cal.to_dict()


def test_subdivision_holidays() -> None:
    bavaria = Calendar.from_dict(spec("Europe/Berlin", weekdays(("08:00", "16:00")), ("DE-BY",)))
    berlin = Calendar.from_dict(spec("Europe/Berlin", weekdays(("08:00", "16:00")), ("DE-BE",)))
    epiphany = date(2026, 1, 6)
    assert epiphany in bavaria.holidays_between(2026, 2026)
    assert epiphany not in berlin.holidays_between(2026, 2026)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (spec("Mars/Olympus", {}), "unknown time zone 'Mars/Olympus'"),
        (spec("", {}), "IANA zone name"),
        (spec("UTC", {"mon": [["25:00", "26:00"]]}), "bad time '25:00'"),
        (spec("UTC", {"mon": [["08:00", "24:30"]]}), "bad time '24:30'"),
        (spec("UTC", {"mon": [["24:00", "08:00"]]}), "bad time '24:00'"),
        (spec("UTC", {"mon": [["8", "17:00"]]}), "bad time '8'"),
        (spec("UTC", {"mon": [["08:61", "17:00"]]}), "bad time '08:61'"),
        (spec("UTC", {"mon": [["08:00", "08:00"]]}), "has no length"),
        (spec("UTC", {"mon": [["08:00"]]}), "expected an interval"),
        (spec("UTC", {"mon": [[8, 17]]}), "expected a time"),
        (spec("UTC", {"mon": "08:00-17:00"}), "expected a list"),
        (spec("UTC", {"mon": [["08:00", "12:00"], ["11:00", "17:00"]]}), "overlap"),
        (spec("UTC", {"mon": [["22:00", "09:00"]], "tue": [["08:00", "12:00"]]}), "overlap"),
        (spec("UTC", {"sun": [["22:00", "09:00"]], "mon": [["08:00", "12:00"]]}), "overlap"),
        (spec("UTC", {"thur": [["08:00", "12:00"]]}), "unknown days"),
        (spec("UTC", {}, ("XX",)), "unknown country 'XX'"),
        (spec("UTC", {}, ("DE-XX",)), "unknown subdivision 'XX'"),
        (spec("UTC", {}, (), ("2026-02-30",)), "no such date"),
        (spec("UTC", {}, (), ("13-01",)), "no such day"),
        (spec("UTC", {}, (), ("31.12.2026",)), "bad date"),
        ({"week": {}}, "missing 'timezone'"),
        ({"timezone": "UTC"}, "'week' must be an object"),
        ({"timezone": "UTC", "week": {}, "holidays": ["CZ"]}, "'holidays' must be an object"),
        ({"timezone": "UTC", "week": {}, "holidays": {"country": []}}, "unknown keys"),
        ({"timezone": "UTC", "week": {}, "name": "x"}, "unknown keys"),
        ({"timezone": "UTC", "week": {}, "holidays": {"dates": "2026-12-31"}}, "expected a list"),
    ],
)
def test_from_dict_rejects(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(CalendarError, match=message.replace("(", r"\(").replace(".", r"\.")):
        Calendar.from_dict(raw)


def test_touching_intervals_are_allowed_and_merge() -> None:
    cal = Calendar.from_dict(
        spec("UTC", {"mon": [["08:00", "12:00"], ["12:00", "24:00"]], "tue": [["00:00", "02:00"]]})
    )
    start = datetime(2026, 1, 12, 11, 0)
    assert due(cal, start, "15h").isoformat() == "2026-01-13T02:00:00+00:00"
    assert elapsed(cal, start, datetime(2026, 1, 14)) == timedelta(hours=15)
