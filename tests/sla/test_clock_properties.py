"""Property tests: the compiled SLA clock against a slow, obvious minute-walking reference.

The reference shares no code with podpora.sla.clock: it reads the raw calendar dict, asks the
``holidays`` package itself, resolves wall-clock times by searching for the first instant whose
local clock shows that time or later, and walks minute by minute. Random calendars use minute
bounds, so every minute is wholly inside or outside working time and the walk is exact.
"""

from __future__ import annotations

import functools
import os
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from podpora.sla.clock import (
    Calendar,
    CompiledCalendar,
    compile_calendar,
    due,
    due_business,
    elapsed,
)


@pytest.fixture(autouse=True)
def _isolated() -> None:
    """Replaces tests/conftest.py's Django-settings fixture: these tests are pure and must also
    run with ``-p no:django``."""


DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ZONES = (
    "Europe/Prague",
    "UTC",
    "America/New_York",
    "Australia/Lord_Howe",  # 30-minute DST
    "America/Santiago",  # DST changes at midnight
    "Asia/Kolkata",
)
FIRST = datetime(2025, 1, 1, tzinfo=UTC)
LAST = datetime(2028, 1, 1, tzinfo=UTC)
MINUTE = 60

SETTINGS = settings(
    max_examples=int(os.environ.get("PODPORA_SLA_EXAMPLES", "60")),  # raise it for a long hunt
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


# --- the reference ------------------------------------------------------------------------------


class Reference:
    """Obvious, slow semantics of ACCEPTANCE.md §3 on whole minutes."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.zone = ZoneInfo(raw["timezone"])
        self.week = [
            [(self._minute(s), self._minute(e)) for s, e in raw["week"].get(d, [])] for d in DAYS
        ]
        self.countries = raw["holidays"]["countries"]
        self.dates = set(raw["holidays"]["dates"])
        self.day_intervals = functools.lru_cache(maxsize=None)(self._day_intervals)
        self._holiday_years: dict[int, set[date]] = {}

    @staticmethod
    def _minute(text: str) -> int:
        h, m = text.split(":")
        return int(h) * 60 + int(m)

    def wall(self, epoch: int) -> datetime:
        return datetime.fromtimestamp(epoch, self.zone).replace(tzinfo=None)

    def localize(self, wall: datetime) -> int:
        """First instant (epoch, on a minute) whose local clock shows ``wall`` or later."""
        naive = int(wall.replace(tzinfo=UTC).timestamp())
        t = naive - 16 * 3600  # earlier than any real offset allows
        while self.wall(t) < wall:
            t += 15 * MINUTE
        t -= 15 * MINUTE
        while self.wall(t) < wall:
            t += MINUTE
        return t

    def is_holiday(self, day: date) -> bool:
        if day.year not in self._holiday_years:
            found: set[date] = set()
            for country in self.countries:
                found.update(holidays.country_holidays(country, years=day.year))
            self._holiday_years[day.year] = found
        return (
            day in self._holiday_years[day.year]
            or day.isoformat() in self.dates
            or day.strftime("%m-%d") in self.dates
        )

    def is_working_day(self, day: date) -> bool:
        return bool(self.week[day.weekday()]) and not self.is_holiday(day)

    def _day_intervals(self, day: date) -> list[tuple[int, int]]:
        if not self.is_working_day(day):
            return []
        result = []
        for start, end in self.week[day.weekday()]:
            opening = datetime(day.year, day.month, day.day) + timedelta(minutes=start)
            if end <= start:  # past midnight
                end += 24 * 60
            closing = datetime(day.year, day.month, day.day) + timedelta(minutes=end)
            result.append((self.localize(opening), self.localize(closing)))
        return result

    def is_working(self, t: int) -> bool:
        """Is the minute starting at ``t`` working time? Yesterday's night shift counts too."""
        today = self.wall(t).date()
        for day in (today - timedelta(days=1), today):
            for opening, closing in self.day_intervals(day):
                if opening <= t < closing:
                    return True
        return False

    def due_minutes(self, start: int, minutes: int) -> int:
        if minutes == 0:
            return start
        t, counted = start, 0
        while True:
            if self.is_working(t):
                counted += 1
                if counted == minutes:
                    return t + MINUTE
            t += MINUTE

    def elapsed_minutes(self, start: int, end: int) -> int:
        return sum(1 for t in range(start, end, MINUTE) if self.is_working(t))

    def last_closing(self, day: date) -> int:
        return max(closing for _, closing in self.day_intervals(day))

    def due_working_days(self, start: int, days: int) -> int:
        day = self.wall(start).date()
        if not (self.is_working_day(day) and start < self.last_closing(day)):
            day += timedelta(days=1)
            while not self.is_working_day(day):
                day += timedelta(days=1)
        for _ in range(days):
            day += timedelta(days=1)
            while not self.is_working_day(day):
                day += timedelta(days=1)
        return self.last_closing(day)


# --- random calendars ---------------------------------------------------------------------------


def _fmt(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


@st.composite
def calendars(draw: st.DrawFn) -> dict[str, Any]:
    """Non-overlapping intervals cut from one week; some crossing midnight as night shifts."""
    points = sorted(draw(st.sets(st.integers(0, 7 * 1440 - 1), min_size=2, max_size=10)))
    week: dict[str, list[list[str]]] = {d: [] for d in DAYS}
    for a, b in zip(points[0::2], points[1::2], strict=False):
        crosses = a // 1440 != (b - 1) // 1440 and b % 1440 != 0
        if crosses and b - a < 1440 and draw(st.booleans()):
            week[DAYS[a // 1440]].append([_fmt(a % 1440), _fmt(b % 1440)])
            continue
        for day in range(a // 1440, (b - 1) // 1440 + 1):
            lo, hi = max(a, day * 1440) - day * 1440, min(b, (day + 1) * 1440) - day * 1440
            week[DAYS[day]].append([_fmt(lo), _fmt(hi)])
    assume(any(week.values()))
    countries = draw(st.sampled_from([[], ["CZ"], ["SK"]]))
    own = draw(
        st.lists(
            st.one_of(
                st.dates(date(2025, 1, 1), date(2027, 12, 31)).map(date.isoformat),
                st.dates(date(2000, 1, 1), date(2000, 12, 31)).map(lambda d: d.strftime("%m-%d")),
            ),
            max_size=4,
        )
    )
    return {
        "timezone": draw(st.sampled_from(ZONES)),
        "week": week,
        "holidays": {"countries": countries, "dates": own},
    }


def _transitions() -> list[int]:
    """DST transitions of the test zones in the test years, to start near them often."""
    found = []
    for name in ZONES:
        zone = ZoneInfo(name)
        t = int(FIRST.timestamp())
        previous = datetime.fromtimestamp(t, zone).utcoffset()
        while t < LAST.timestamp():
            t += 3600
            offset = datetime.fromtimestamp(t, zone).utcoffset()
            if offset != previous:
                found.append(t)
                previous = offset
    return found


TRANSITIONS = _transitions()
uniform_starts = st.integers(int(FIRST.timestamp()) // MINUTE, int(LAST.timestamp()) // MINUTE).map(
    lambda m: m * MINUTE
)
near_transitions = st.tuples(st.sampled_from(TRANSITIONS), st.integers(-3 * 1440, 3 * 1440)).map(
    lambda p: p[0] + p[1] * MINUTE
)

Case = tuple[dict[str, Any], int]
MicroCase = tuple[dict[str, Any], datetime]


@st.composite
def with_start(draw: st.DrawFn) -> Case:
    """A calendar and a minute-aligned start: anywhere, near a DST change, or at (or a minute
    off) one of the calendar's openings and closings, where the off-by-one rules live."""
    raw = draw(calendars())
    kind = draw(st.sampled_from(["uniform", "transition", "boundary"]))
    day = draw(st.dates(date(2025, 1, 2), date(2027, 12, 30)))
    bounds = []
    for a, b in raw["week"][DAYS[day.weekday()]]:
        s, e = Reference._minute(a), Reference._minute(b)
        bounds.append(datetime(day.year, day.month, day.day) + timedelta(minutes=s))
        bounds.append(
            datetime(day.year, day.month, day.day) + timedelta(minutes=e if e > s else e + 1440)
        )
    if kind == "transition":
        return raw, draw(near_transitions)
    if kind == "uniform" or not bounds:
        return raw, draw(uniform_starts)
    wall = draw(st.sampled_from(bounds))
    return raw, Reference(raw).localize(wall) + draw(st.sampled_from([0, 0, -MINUTE, MINUTE]))


@st.composite
def with_micro_start(draw: st.DrawFn) -> MicroCase:
    raw, start = draw(with_start())
    micros = draw(st.one_of(st.just(0), st.integers(0, 3600 * 1_000_000 - 1)))
    return raw, at(start) + timedelta(microseconds=micros)


def weekly_minutes(raw: dict[str, Any]) -> int:
    total = 0
    for intervals in raw["week"].values():
        for s, e in intervals:
            a, b = Reference._minute(s), Reference._minute(e)
            total += b - a if b > a else b + 1440 - a
    return total


def at(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def is_ambiguous(zone: ZoneInfo, wall: datetime) -> bool:
    first, second = wall.replace(tzinfo=zone, fold=0), wall.replace(tzinfo=zone, fold=1)
    in_gap = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall
    return first.utcoffset() != second.utcoffset() and not in_gap


def utc(moment: datetime) -> datetime:
    """Compare and add in UTC. Python (PEP 495) compares datetimes of one zone by wall clock,
    ignoring fold; never finds an ambiguous fold=1 time equal to another zone's; and adds
    timedeltas to zoned datetimes on the wall clock."""
    return moment.astimezone(UTC)


# --- properties -----------------------------------------------------------------------------------


@SETTINGS
@given(case=with_start(), data=st.data())
def test_business_due_matches_reference(case: Case, data: st.DataObject) -> None:
    raw, start = case
    minutes = data.draw(st.integers(0, min(weekly_minutes(raw), 3000)), label="minutes")
    cal = Calendar.from_dict(raw)
    expected = Reference(raw).due_minutes(start, minutes)
    assert utc(due(cal, at(start), f"{minutes}m")) == at(expected)
    assert compile_calendar(cal).due_epoch(start, minutes * MINUTE) == expected


@SETTINGS
@given(case=with_start(), days=st.integers(0, 6))
def test_working_days_due_matches_reference(case: Case, days: int) -> None:
    raw, start = case
    cal = Calendar.from_dict(raw)
    expected = Reference(raw).due_working_days(start, days)
    assert utc(due(cal, at(start), f"{days}wd")) == at(expected)
    assert compile_calendar(cal).due_working_days_epoch(start, days) == expected


@SETTINGS
@given(case=with_start(), span=st.integers(-600, 8 * 1440))
def test_elapsed_matches_reference(case: Case, span: int) -> None:
    raw, start = case
    cal = Calendar.from_dict(raw)
    end = start + span * MINUTE
    expected = Reference(raw).elapsed_minutes(start, end) if span > 0 else 0
    assert elapsed(cal, at(start), at(end)) == timedelta(minutes=expected)
    assert compile_calendar(cal).elapsed_epoch(start, end) == expected * MINUTE


@SETTINGS
@given(case=with_start(), days=st.integers(0, 400))
def test_calendar_days_keep_the_wall_clock(case: Case, days: int) -> None:
    raw, start = case
    cal = Calendar.from_dict(raw)
    ref = Reference(raw)
    got = due(cal, at(start), f"{days}d")
    if days == 0:
        assert utc(got) == at(start)
        return
    target = ref.wall(start) + timedelta(days=days)
    # An ambiguous target keeps the start's fold; the reference knows only the first one.
    assume(not is_ambiguous(ref.zone, target))
    assert utc(got) == at(ref.localize(target))
    # The same wall time, unless it fell into a spring-forward gap and moved to its end.
    assert got.replace(tzinfo=None) >= target


@SETTINGS
@given(case=with_micro_start(), micros=st.integers(0, 40 * 3600 * 1_000_000))
def test_due_then_elapsed_round_trips(case: MicroCase, micros: int) -> None:
    raw, start = case
    cal = Calendar.from_dict(raw)
    business = timedelta(microseconds=micros)
    end = utc(due_business(cal, start, business))
    assert end >= start
    assert elapsed(cal, start, end) == business
    if micros:  # and it is the earliest such instant
        assert elapsed(cal, start, end - timedelta(microseconds=1)) < business


@SETTINGS
@given(
    case=with_micro_start(),
    gap=st.integers(0, 5 * 86400 * 1_000_000),
    micros=st.integers(0, 20 * 3600 * 1_000_000),
    more=st.integers(0, 20 * 3600 * 1_000_000),
    days=st.integers(0, 4),
)
def test_monotonic_and_additive(
    case: MicroCase, gap: int, micros: int, more: int, days: int
) -> None:
    raw, start = case
    cal = Calendar.from_dict(raw)
    later = start + timedelta(microseconds=gap)
    business = timedelta(microseconds=micros)
    longer = business + timedelta(microseconds=more)
    assert utc(due_business(cal, start, business)) <= utc(due_business(cal, later, business))
    assert utc(due_business(cal, start, business)) <= utc(due_business(cal, start, longer))
    assert utc(due(cal, start, f"{days}wd")) <= utc(due(cal, later, f"{days}wd"))
    assert utc(due(cal, start, f"{days}wd")) < utc(due(cal, start, f"{days + 1}wd"))
    end = later + timedelta(microseconds=more)
    assert elapsed(cal, start, later) + elapsed(cal, later, end) == elapsed(cal, start, end)
    assert elapsed(cal, start, later) <= later - start


@SETTINGS
@given(case=with_micro_start(), micros=st.integers(1, 30 * 3600 * 1_000_000))
def test_pause_and_resume_composes(case: MicroCase, micros: int) -> None:
    """Stopping the clock anywhere before the due instant and resuming with what remains
    arrives at the same instant: the basis of paused SLA clocks."""
    raw, start = case
    cal = Calendar.from_dict(raw)
    business = timedelta(microseconds=micros)
    end = utc(due_business(cal, start, business))
    for fraction in (0.0, 0.3, 0.99, 1.0):
        mid = start + (end - start) * fraction
        remaining = business - elapsed(cal, start, mid)
        assert utc(due_business(cal, mid, remaining)) == end


@SETTINGS
@given(case=with_start(), seconds=st.integers(0, 30 * 3600))
def test_fresh_and_shared_compilations_agree(case: Case, seconds: int) -> None:
    raw, start = case
    cal = Calendar.from_dict(raw)
    fresh, shared = CompiledCalendar(cal), compile_calendar(cal)
    assert fresh.due_epoch(start, seconds) == shared.due_epoch(start, seconds)
    assert fresh.due_working_days_epoch(start, 2) == shared.due_working_days_epoch(start, 2)
    assert fresh.elapsed_epoch(start, start + 9 * 86400) == shared.elapsed_epoch(
        start, start + 9 * 86400
    )
