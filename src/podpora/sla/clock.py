"""Business-calendar arithmetic for SLA clocks (pure: stdlib and ``holidays`` only).

Kept free of Django so that the hardest time arithmetic in the product can be tested against a
slow reference and benchmarked on its own. The semantics are the contract in ACCEPTANCE.md §3.

How it stays fast: a calendar is compiled, for a window of years that grows on demand, into
sorted working intervals as absolute UTC epoch seconds with cumulative business seconds, plus one
record per working day (its last closing). Every query is one or two ``bisect`` calls.

Decisions the contract leaves open, made here once:

* A wall-clock time maps to the first instant at which the local clock shows that time or later.
  A time inside a spring-forward gap therefore maps to the transition instant (when the clock
  jumps past it: an opening at 02:30 on that day opens at 03:00 new time), and a time that occurs
  twice in an autumn fall-back maps to its first occurrence (``fold=0``). A naive start datetime
  with ``fold=1`` is honoured as the second occurrence.
* An interval belongs to the day it starts on: a holiday removes that day's intervals, including
  one that runs past midnight, and a day's last closing may fall on the next date.
* Intervals are real elapsed time: on a daylight-saving day an interval is as long as the clock
  really ran.
* Results are exact to the microsecond; interval bounds are whole seconds.
* Results are aware datetimes in the calendar's zone. Python compares two datetimes of one zone
  by wall clock and adds timedeltas on the wall clock (PEP 495), which is wrong inside an autumn
  fall-back hour: compare, subtract and store them in UTC.
"""

from __future__ import annotations

import enum
import functools
import re
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holidays_lib

__all__ = [
    "DAY_NAMES",
    "Calendar",
    "CalendarError",
    "CompiledCalendar",
    "NoWorkingTimeError",
    "Target",
    "Unit",
    "compile_calendar",
    "due",
    "due_business",
    "due_epoch",
    "due_seconds",
    "elapsed",
    "parse_target",
    "resolve",
]

DAY_NAMES: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY
#: A due instant further than this from its start is treated as unreachable, so a calendar
#: with (almost) no working time fails with a message instead of compiling forever.
HORIZON_YEARS = 100
_US = 1_000_000
# More business time than the horizon holds at all can be refused before compiling anything.
_MAX_BUSINESS_S = HORIZON_YEARS * 366 * 86400
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
# First and last years a compiled window may cover; one day of slack on each side keeps
# date arithmetic inside datetime's range.
_MIN_YEAR = 2
_MAX_YEAR = 9998
# Past this a window is recompiled around the new query instead of grown to cover both.
_MAX_WINDOW_YEARS = 2 * HORIZON_YEARS

Shift = tuple[str, str]


class CalendarError(ValueError):
    """A calendar definition that cannot be used, with a message fit for an administrator."""


class NoWorkingTimeError(ValueError):
    """Raised instead of searching forever when a calendar offers no working time."""


# --------------------------------------------------------------------------------------------
# Calendar definition
# --------------------------------------------------------------------------------------------

_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")
_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_YEARLY_RE = re.compile(r"^(\d{2})-(\d{2})$")


def _parse_minute(text: object, where: str, *, is_end: bool) -> int:
    if not isinstance(text, str):
        raise CalendarError(f"{where}: expected a time as a string 'HH:MM', got {text!r}")
    m = _TIME_RE.match(text.strip())
    hours, minutes = (int(m.group(1)), int(m.group(2))) if m else (-1, -1)
    limit = 24 if is_end else 23
    if not m or not (0 <= hours <= limit) or not (0 <= minutes <= 59):
        upper = "24:00" if is_end else "23:59"
        raise CalendarError(f"{where}: bad time {text!r} (expected HH:MM from 00:00 to {upper})")
    if hours == 24 and minutes != 0:
        raise CalendarError(f"{where}: bad time {text!r} (24:00 is the latest closing)")
    return hours * 60 + minutes


def _fmt_minute(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _fmt_end(minute: int) -> str:
    """An end minute as written: 24:00 for midnight, the next day's time for a night shift."""
    return _fmt_minute(minute if minute == MINUTES_PER_DAY else minute % MINUTES_PER_DAY)


def _parse_shift(raw: object, where: str) -> tuple[int, int]:
    """Return (start minute, end minute counted from the start day's midnight)."""
    if isinstance(raw, str) or not isinstance(raw, Sequence) or len(raw) != 2:
        raise CalendarError(f'{where}: expected an interval ["HH:MM", "HH:MM"], got {raw!r}')
    start = _parse_minute(raw[0], f"{where} start", is_end=False)
    end = _parse_minute(raw[1], f"{where} end", is_end=True)
    if end == start:
        raise CalendarError(
            f"{where}: interval {raw[0]}–{raw[1]} has no length "
            "(a whole day is 00:00–24:00; an end before the start runs past midnight)"
        )
    if end < start:
        end += MINUTES_PER_DAY  # runs past midnight into the next day
    return start, end


def _check_overlaps(shifts: Sequence[Sequence[tuple[int, int]]]) -> None:
    """Reject overlapping intervals: they are almost always a typing mistake in the hours."""
    spans: list[tuple[int, int, str]] = []
    for day, day_shifts in enumerate(shifts):
        for start, end in day_shifts:
            label = f"{DAY_NAMES[day]} {_fmt_minute(start)}–{_fmt_end(end)}"
            base = day * MINUTES_PER_DAY
            spans.append((base + start, base + end, label))
    spans.sort()
    reach, reach_label = -1, ""
    for start, end, label in spans:
        if start < reach:
            raise CalendarError(f"week: intervals overlap: {reach_label} and {label}")
        if end > reach:
            reach, reach_label = end, label
    # Sunday's night shift runs into Monday of the next week.
    for _, end, label in spans:
        wrapped = end - MINUTES_PER_WEEK
        if wrapped > 0 and spans[0][0] < wrapped:
            raise CalendarError(f"week: intervals overlap: {label} and {spans[0][2]}")


def _parse_country(code: object) -> str:
    if not isinstance(code, str) or not code.strip():
        raise CalendarError(
            f"holidays.countries: expected a country code such as 'CZ', got {code!r}"
        )
    country, _, subdiv = code.strip().partition("-")
    country = country.upper()
    try:
        holidays_lib.country_holidays(country, subdiv=subdiv or None, years=[])
    except NotImplementedError:
        if subdiv:
            raise CalendarError(
                f"holidays.countries: unknown subdivision {subdiv!r} of {country!r} "
                "(write e.g. 'DE-BY')"
            ) from None
        raise CalendarError(
            f"holidays.countries: unknown country {code!r} (ISO 3166 code, e.g. 'CZ' or 'SK')"
        ) from None
    return f"{country}-{subdiv}" if subdiv else country


def _parse_holiday_date(text: object) -> tuple[str, date | tuple[int, int]]:
    """Accept 'YYYY-MM-DD' (once) or 'MM-DD' (every year)."""
    where = "holidays.dates"
    if not isinstance(text, str):
        raise CalendarError(f"{where}: expected 'YYYY-MM-DD' or 'MM-DD', got {text!r}")
    value = text.strip()
    if _DATE_RE.match(value):
        try:
            return value, date.fromisoformat(value)
        except ValueError:
            raise CalendarError(f"{where}: no such date {text!r}") from None
    m = _YEARLY_RE.match(value)
    if m:
        month, day = int(m.group(1)), int(m.group(2))
        try:
            date(2000, month, day)  # a leap year, so 02-29 is accepted
        except ValueError:
            raise CalendarError(f"{where}: no such day of the year {text!r}") from None
        return value, (month, day)
    raise CalendarError(f"{where}: bad date {text!r} (expected 'YYYY-MM-DD', or 'MM-DD' yearly)")


def _zone(name: object) -> ZoneInfo:
    if not isinstance(name, str) or not name:
        raise CalendarError(
            f"timezone: expected an IANA zone name such as 'Europe/Prague', got {name!r}"
        )
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CalendarError(
            f"timezone: unknown time zone {name!r} (IANA name such as 'Europe/Prague')"
        ) from None


@dataclass(frozen=True)
class Calendar:
    """Working hours, holidays and time zone; hashable so compiled forms can be cached by it.

    ``week`` holds seven tuples (Monday first) of ("HH:MM", "HH:MM") intervals. ``countries``
    holds ISO codes, optionally with a subdivision ("DE-BY"). ``dates`` holds own days off,
    "YYYY-MM-DD" once or "MM-DD" every year. Values are validated and normalised on creation.
    """

    timezone: str
    week: tuple[tuple[Shift, ...], ...]
    countries: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    _shifts: tuple[tuple[tuple[int, int], ...], ...] = field(init=False, repr=False, compare=False)
    _fixed: frozenset[date] = field(init=False, repr=False, compare=False)
    _yearly: frozenset[tuple[int, int]] = field(init=False, repr=False, compare=False)
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _zone(self.timezone)
        week = tuple(self.week)
        if len(week) != 7:
            raise CalendarError(f"week: expected 7 days (mon..sun), got {len(week)}")
        shifts: list[tuple[tuple[int, int], ...]] = []
        for day, raw_day in enumerate(week):
            if isinstance(raw_day, str) or not isinstance(raw_day, Iterable):
                raise CalendarError(f"week.{DAY_NAMES[day]}: expected a list of intervals")
            parsed = [
                _parse_shift(raw, f"week.{DAY_NAMES[day]}[{i}]") for i, raw in enumerate(raw_day)
            ]
            shifts.append(tuple(sorted(parsed)))
        _check_overlaps(shifts)
        countries = tuple(dict.fromkeys(_parse_country(c) for c in self.countries))
        parsed_dates = sorted({_parse_holiday_date(d) for d in self.dates}, key=lambda p: p[0])
        norm_week = tuple(tuple((_fmt_minute(s), _fmt_end(e)) for s, e in day) for day in shifts)
        set_ = object.__setattr__
        set_(self, "week", norm_week)
        set_(self, "countries", countries)
        set_(self, "dates", tuple(text for text, _ in parsed_dates))
        set_(self, "_shifts", tuple(shifts))
        set_(self, "_fixed", frozenset(v for _, v in parsed_dates if isinstance(v, date)))
        set_(self, "_yearly", frozenset(v for _, v in parsed_dates if isinstance(v, tuple)))
        set_(self, "_hash", hash((self.timezone, norm_week, countries, self.dates)))

    def __hash__(self) -> int:
        return self._hash

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Calendar:
        """Parse the calendar file format of ACCEPTANCE.md §3."""
        if not isinstance(data, Mapping):
            raise CalendarError("calendar: expected a JSON object")
        unknown = set(data) - {"timezone", "week", "holidays"}
        if unknown:
            raise CalendarError(
                f"calendar: unknown keys {sorted(unknown)} (expected timezone, week, holidays)"
            )
        if "timezone" not in data:
            raise CalendarError("calendar: missing 'timezone'")
        week_raw = data.get("week")
        if not isinstance(week_raw, Mapping):
            raise CalendarError("calendar: 'week' must be an object with keys mon..sun")
        unknown = set(week_raw) - set(DAY_NAMES)
        if unknown:
            raise CalendarError(
                f"week: unknown days {sorted(unknown)} (expected {', '.join(DAY_NAMES)})"
            )
        week: list[tuple[Shift, ...]] = []
        for name in DAY_NAMES:
            intervals = week_raw.get(name) or []
            if isinstance(intervals, str) or not isinstance(intervals, Sequence):
                raise CalendarError(f'week.{name}: expected a list of ["HH:MM", "HH:MM"] intervals')
            week.append(tuple(intervals))
        hol = data.get("holidays") or {}
        if not isinstance(hol, Mapping):
            raise CalendarError(
                "calendar: 'holidays' must be an object with 'countries' and 'dates'"
            )
        unknown = set(hol) - {"countries", "dates"}
        if unknown:
            raise CalendarError(
                f"holidays: unknown keys {sorted(unknown)} (expected countries, dates)"
            )
        countries = hol.get("countries") or []
        dates = hol.get("dates") or []
        for key, value in (("countries", countries), ("dates", dates)):
            if isinstance(value, str) or not isinstance(value, Sequence):
                raise CalendarError(f"holidays.{key}: expected a list")
        return cls(
            timezone=data["timezone"],
            week=tuple(week),  # type: ignore[arg-type]  # validated in __post_init__
            countries=tuple(countries),
            dates=tuple(dates),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "timezone": self.timezone,
            "week": {
                name: [list(s) for s in day] for name, day in zip(DAY_NAMES, self.week, strict=True)
            },
            "holidays": {"countries": list(self.countries), "dates": list(self.dates)},
        }

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def has_working_time(self) -> bool:
        return any(self._shifts)

    def holidays_between(self, first_year: int, last_year: int) -> frozenset[date]:
        """Country and own days off in the given years (inclusive)."""
        years = range(first_year, last_year + 1)
        days: set[date] = {d for d in self._fixed if first_year <= d.year <= last_year}
        for code in self.countries:
            country, _, subdiv = code.partition("-")
            days.update(
                holidays_lib.country_holidays(country, subdiv=subdiv or None, years=years).keys()
            )
        for year in years:
            for month, day in self._yearly:
                try:
                    days.add(date(year, month, day))
                except ValueError:  # 02-29 outside leap years
                    pass
        return frozenset(days)


# --------------------------------------------------------------------------------------------
# Instants
# --------------------------------------------------------------------------------------------


def _epoch_us(moment: datetime) -> int:
    delta = moment - _EPOCH
    return (delta.days * 86400 + delta.seconds) * _US + delta.microseconds


def _from_epoch_us(us: int, zone: ZoneInfo) -> datetime:
    seconds, micro = divmod(us, _US)
    return datetime.fromtimestamp(seconds, zone).replace(microsecond=micro)


def _localize(wall: datetime, zone: ZoneInfo) -> datetime:
    """The first instant whose local clock shows ``wall`` or later (see the module docstring)."""
    aware = wall.replace(tzinfo=zone)
    back = aware.astimezone(UTC).astimezone(zone)
    if back.replace(tzinfo=None) == wall:
        return back
    # In a gap: fold=0 and fold=1 land on either side of the transition; find it to the second.
    a = _epoch_us(wall.replace(tzinfo=zone, fold=0)) // _US
    b = _epoch_us(wall.replace(tzinfo=zone, fold=1)) // _US
    lo, hi = min(a, b), max(a, b)
    before = datetime.fromtimestamp(lo, zone).utcoffset()
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if datetime.fromtimestamp(mid, zone).utcoffset() == before:
            lo = mid
        else:
            hi = mid
    return datetime.fromtimestamp(hi, zone)


def resolve(moment: datetime, zone: ZoneInfo) -> datetime:
    """An aware datetime in ``zone``; a naive one is read as wall-clock time there."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        return _localize(moment.replace(tzinfo=None), zone)
    return moment.astimezone(zone)


def _instant_us(moment: datetime, zone: ZoneInfo) -> int:
    """Epoch microseconds of ``moment``; a naive one is wall-clock time in ``zone``."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        moment = _localize(moment.replace(tzinfo=None), zone)
    return _epoch_us(moment)


def _wall_epoch(zone: ZoneInfo, day: date, minute: int) -> int:
    wall = datetime(day.year, day.month, day.day, minute // 60, minute % 60)
    return _epoch_us(_localize(wall, zone)) // _US


def _year_of(epoch: int) -> int:
    try:
        return (_EPOCH + timedelta(seconds=epoch)).year
    except OverflowError:
        raise ValueError("instant outside the supported years") from None


# --------------------------------------------------------------------------------------------
# Compiled calendar
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Window:
    """Exact working time in [lo, hi): local midnights of first_year-01-01 and after last_year."""

    first_year: int
    last_year: int
    lo: int
    hi: int
    day_starts: list[int]  # epoch of local midnight of each day, one past the last day
    opens: list[int]
    closes: list[int]
    cum: list[int]  # business seconds from lo to each interval's close
    total: int
    wd_index: list[int]  # index into day_starts of each working day
    wd_close: list[int]  # that day's last closing (may lie on the next date)


def _build_window(calendar: Calendar, zone: ZoneInfo, first_year: int, last_year: int) -> _Window:
    first = date(first_year, 1, 1)
    ndays = (date(last_year, 12, 31) - first).days + 1
    off = calendar.holidays_between(first_year - 1, last_year)
    shifts = calendar._shifts
    one_day = timedelta(days=1)
    base = (first.toordinal() - _EPOCH_ORDINAL) * 86400  # naive epoch of the first midnight
    # UTC offset at each local midnight, days -1 .. ndays + 1. A day whose offset is the same at
    # both ends has no transition (no zone changes twice in a day), so its wall times convert
    # by subtraction; only the few transition days go through _localize.
    offsets: list[int] = []
    day = first - one_day
    for _ in range(ndays + 3):
        offset = datetime(day.year, day.month, day.day, tzinfo=zone).utcoffset()
        offsets.append(0 if offset is None else offset // timedelta(seconds=1))
        day += one_day

    def wall(k: int, minute: int) -> int:
        """Epoch of local ``minute`` on day ``k`` (0 = first day of the window)."""
        if 0 <= k <= ndays and offsets[k + 1] == offsets[k + 2]:
            return base + k * 86400 + minute * 60 - offsets[k + 1]
        return _wall_epoch(zone, first + timedelta(days=k), minute)

    day_starts = [wall(k, 0) for k in range(ndays + 1)]
    lo, hi = day_starts[0], day_starts[-1]
    spans: list[tuple[int, int]] = []
    wd_index: list[int] = []
    wd_close: list[int] = []
    day = first - one_day
    for k in range(-1, ndays):
        day_shifts = shifts[day.weekday()]
        if day_shifts and day not in off:
            last = lo
            for start, end in day_shifts:
                opening = wall(k, start)
                closing = wall(k + end // MINUTES_PER_DAY, end % MINUTES_PER_DAY)
                spans.append((opening, closing))
                last = max(last, closing)
            if k >= 0:
                wd_index.append(k)
                wd_close.append(last)
        day += one_day
    spans.sort()
    opens: list[int] = []
    closes: list[int] = []
    for opening, closing in spans:
        opening, closing = max(opening, lo), min(closing, hi)
        if closing <= opening:
            continue  # outside the window, or swallowed by a DST gap
        if closes and opening <= closes[-1]:
            closes[-1] = max(closes[-1], closing)  # touching intervals, e.g. a night shift
        else:
            opens.append(opening)
            closes.append(closing)
    cum: list[int] = []
    total = 0
    for opening, closing in zip(opens, closes, strict=True):
        total += closing - opening
        cum.append(total)
    return _Window(
        first_year, last_year, lo, hi, day_starts, opens, closes, cum, total, wd_index, wd_close
    )


class CompiledCalendar:
    """A calendar turned into sorted epoch arrays; grows its window of years on demand.

    The ``*_epoch`` methods take and return UTC epoch seconds and build no datetimes: they are
    the fast path for bulk recomputation. Windows are immutable and swapped whole under a lock,
    so concurrent readers always see a consistent snapshot.
    """

    __slots__ = ("calendar", "zone", "_window", "_lock")

    def __init__(self, calendar: Calendar) -> None:
        self.calendar = calendar
        self.zone = calendar.zone
        self._window: _Window | None = None
        self._lock = threading.Lock()

    # -- window management -------------------------------------------------------------------

    def _cover(self, *instants: int) -> _Window:
        """A window that contains all ``instants``: the current one grown geometrically, or a
        fresh one when the union would span more than _MAX_WINDOW_YEARS."""
        with self._lock:
            w = self._window
            if w is not None and all(w.lo <= t < w.hi for t in instants):
                return w
            years = [_year_of(t) for t in instants]
            first, last = min(years) - 1, max(years) + 2  # most queries look ahead
            if first < _MIN_YEAR or last - 1 > _MAX_YEAR:
                raise ValueError(
                    f"instant outside the supported years {_MIN_YEAR + 1}–{_MAX_YEAR - 1}"
                )
            if w is not None:
                span = w.last_year - w.first_year + 1
                grown_first, grown_last = w.first_year, w.last_year
                if first < w.first_year:
                    grown_first = min(first, w.first_year - span)
                if last > w.last_year:
                    grown_last = max(last, w.last_year + span)
                if grown_last - grown_first < _MAX_WINDOW_YEARS:
                    first, last = grown_first, grown_last
            return self._install(max(first, _MIN_YEAR), min(last, _MAX_YEAR))

    def _grow_forward(self, seen: _Window, start: int) -> _Window:
        """Extend past ``seen`` when an answer lies beyond it, within the horizon."""
        with self._lock:
            w = self._window
            assert w is not None
            if w.last_year > seen.last_year and w.lo <= start < w.hi:
                return w  # another thread grew it meanwhile
            start_year = _year_of(start)
            limit = min(start_year + HORIZON_YEARS, _MAX_YEAR)
            if seen.last_year >= limit:
                raise NoWorkingTimeError(
                    f"no due instant within {HORIZON_YEARS} years of the start: the target is "
                    "too large or the calendar has (almost) no working days"
                )
            first = seen.first_year
            last = min(seen.last_year + (seen.last_year - first + 1), limit)
            if last - first >= _MAX_WINDOW_YEARS:
                first = max(start_year - 1, _MIN_YEAR)
            return self._install(first, last)

    def _install(self, first: int, last: int) -> _Window:
        w = _build_window(self.calendar, self.zone, first, last)
        self._window = w
        return w

    def _require_working_time(self) -> None:
        if not self.calendar.has_working_time:
            raise NoWorkingTimeError("the calendar has no working hours on any day of the week")

    def _check_amount(self, seconds: int) -> None:
        self._require_working_time()
        if seconds > _MAX_BUSINESS_S:
            raise NoWorkingTimeError(
                f"business time of {seconds} s is more than {HORIZON_YEARS} years can hold"
            )

    # -- fast path (epoch seconds) -------------------------------------------------------------

    def due_epoch(self, start: int, seconds: int) -> int:
        """Due instant ``seconds`` of business time after ``start`` (epoch seconds)."""
        if seconds <= 0:
            if seconds < 0:
                raise ValueError("business time must not be negative")
            return start
        w = self._window
        if w is None or not w.lo <= start < w.hi:
            self._require_working_time()
            w = self._cover(start)
        while True:
            closes = w.closes
            i = bisect_right(closes, start)
            if i < len(closes):
                opening = w.opens[i]
                q = w.cum[i] - closes[i] + (start if start > opening else opening) + seconds
            else:
                q = w.total + seconds
            if q <= w.total:
                j = bisect_left(w.cum, q)
                return closes[j] - w.cum[j] + q
            self._check_amount(seconds)
            w = self._grow_forward(w, start)

    def due_working_days_epoch(self, start: int, days: int) -> int:
        """Last closing of the ``days``-th working day after the receipt day of ``start``."""
        if days < 0:
            raise ValueError("working days must not be negative")
        w = self._window
        if w is None or not w.lo <= start < w.hi:
            self._require_working_time()
            w = self._cover(start)
        while True:
            k = bisect_right(w.day_starts, start) - 1
            idx = w.wd_index
            r = bisect_left(idx, k)
            if r < len(idx) and idx[r] == k and start >= w.wd_close[r]:
                r += 1  # after the last closing: received on the next working day
            r += days
            if r < len(idx):
                return w.wd_close[r]
            self._check_amount(days * 86400)
            w = self._grow_forward(w, start)

    def elapsed_epoch(self, start: int, end: int) -> int:
        """Business seconds between two instants; 0 when ``end`` is not after ``start``."""
        if end <= start:
            return 0
        w = self._window
        if w is None or not (w.lo <= start and end < w.hi):
            w = self._cover(start, end)
        return _position(w, end)[0] - _position(w, start)[0]

    # -- exact path (epoch microseconds) ---------------------------------------------------------

    def due_us(self, start_us: int, business_us: int) -> int:
        """Like :meth:`due_epoch` with microseconds, for starts and durations off whole seconds."""
        if business_us <= 0:
            if business_us < 0:
                raise ValueError("business time must not be negative")
            return start_us
        start, frac = divmod(start_us, _US)
        w = self._window
        if w is None or not w.lo <= start < w.hi:
            self._check_amount(business_us // _US)
            w = self._cover(start)
        while True:
            pos, inside = _position(w, start)
            goal, goal_frac = divmod(pos * _US + (frac if inside else 0) + business_us, _US)
            # Interval bounds are whole seconds, so the second that completes goal + 1 lies
            # inside one interval, and the fraction is added linearly within it.
            step = 1 if goal_frac else 0
            q = goal + step
            if q <= w.total:
                j = bisect_left(w.cum, q)
                return (w.closes[j] - w.cum[j] + q - step) * _US + goal_frac
            self._check_amount(business_us // _US)
            w = self._grow_forward(w, start)

    def elapsed_us(self, start_us: int, end_us: int) -> int:
        if end_us <= start_us:
            return 0
        s0, sf = divmod(start_us, _US)
        e0, ef = divmod(end_us, _US)
        w = self._window
        if w is None or not (w.lo <= s0 and e0 < w.hi):
            w = self._cover(s0, e0)
        ps, s_in = _position(w, s0)
        pe, e_in = _position(w, e0)
        return (pe - ps) * _US + (ef if e_in else 0) - (sf if s_in else 0)


def _position(w: _Window, t: int) -> tuple[int, bool]:
    """Business seconds from the window start to ``t``, and whether ``t`` is inside an interval."""
    closes = w.closes
    i = bisect_right(closes, t)
    if i == len(closes):
        return w.total, False
    opening = w.opens[i]
    if t >= opening:
        return w.cum[i] - closes[i] + t, True
    return w.cum[i] - closes[i] + opening, False


@functools.lru_cache(maxsize=256)
def compile_calendar(calendar: Calendar) -> CompiledCalendar:
    """The shared compiled form of a calendar (cached; compiled lazily on first query)."""
    return CompiledCalendar(calendar)


def due_epoch(compiled: CompiledCalendar, start_epoch: int, seconds: int) -> int:
    """Fast path for bulk recomputation: epoch seconds in, epoch seconds out."""
    return compiled.due_epoch(start_epoch, seconds)


# --------------------------------------------------------------------------------------------
# Targets
# --------------------------------------------------------------------------------------------


class Unit(enum.StrEnum):
    MINUTES = "m"  # business minutes
    HOURS = "h"  # business hours
    WORKING_DAYS = "wd"
    CALENDAR_DAYS = "d"


_TARGET_RE = re.compile(r"^\s*(\d+)\s*(wd|m|h|d)\s*$", re.IGNORECASE)
_TARGET_HELP = (
    "expected a whole number followed by m (business minutes), h (business hours), "
    "wd (working days) or d (calendar days), e.g. 90m, 8h, 2wd, 7d"
)


@dataclass(frozen=True)
class Target:
    """An SLA target such as 90 business minutes or 2 working days."""

    unit: Unit
    amount: int

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "unit", Unit(self.unit))
        except ValueError:
            raise ValueError(f"unknown target unit {self.unit!r}; {_TARGET_HELP}") from None
        if isinstance(self.amount, bool) or not isinstance(self.amount, int) or self.amount < 0:
            raise ValueError(f"target amount must be a whole number >= 0, got {self.amount!r}")

    def __str__(self) -> str:
        return f"{self.amount}{self.unit.value}"

    @classmethod
    def minutes(cls, amount: int) -> Target:
        return cls(Unit.MINUTES, amount)

    @classmethod
    def hours(cls, amount: int) -> Target:
        return cls(Unit.HOURS, amount)

    @classmethod
    def working_days(cls, amount: int) -> Target:
        return cls(Unit.WORKING_DAYS, amount)

    @classmethod
    def calendar_days(cls, amount: int) -> Target:
        return cls(Unit.CALENDAR_DAYS, amount)

    @property
    def business_seconds(self) -> int | None:
        """The target in business seconds, or None for day-based targets (which cannot pause)."""
        if self.unit is Unit.MINUTES:
            return self.amount * 60
        if self.unit is Unit.HOURS:
            return self.amount * 3600
        return None

    @property
    def business_time(self) -> timedelta | None:
        """:attr:`business_seconds` as a timedelta, e.g. to subtract elapsed time on pause."""
        seconds = self.business_seconds
        return None if seconds is None else timedelta(seconds=seconds)


def parse_target(spec: str) -> Target:
    """Parse "90m", "8h", "2wd", "7d"."""
    m = _TARGET_RE.match(spec) if isinstance(spec, str) else None
    if not m:
        raise ValueError(f"invalid target {spec!r}: {_TARGET_HELP}")
    return Target(Unit(m.group(2).lower()), int(m.group(1)))


# --------------------------------------------------------------------------------------------
# Public datetime API
# --------------------------------------------------------------------------------------------


def due_business(calendar: Calendar, start: datetime, business_time: timedelta) -> datetime:
    """Earliest instant by which ``business_time`` of working time has passed since ``start``.

    Composes with :func:`elapsed` for paused clocks: resume with the business time remaining.
    """
    compiled = compile_calendar(calendar)
    zone = compiled.zone
    amount = business_time // timedelta(microseconds=1)
    return _from_epoch_us(compiled.due_us(_instant_us(start, zone), amount), zone)


def due_seconds(calendar: Calendar, start: datetime, business_seconds: int) -> datetime:
    """Second-precision business target, e.g. what remains of a paused clock."""
    compiled = compile_calendar(calendar)
    zone = compiled.zone
    return _from_epoch_us(compiled.due_us(_instant_us(start, zone), business_seconds * _US), zone)


def due(calendar: Calendar, start: datetime, target: Target | str) -> datetime:
    """Due instant of ``target`` from ``start``, in the calendar's zone (ACCEPTANCE.md §3)."""
    if isinstance(target, str):
        target = parse_target(target)
    compiled = compile_calendar(calendar)
    zone = compiled.zone
    seconds = target.business_seconds
    if seconds is not None:
        return _from_epoch_us(compiled.due_us(_instant_us(start, zone), seconds * _US), zone)
    if target.unit is Unit.WORKING_DAYS:
        begin_s = _instant_us(start, zone) // _US
        return datetime.fromtimestamp(compiled.due_working_days_epoch(begin_s, target.amount), zone)
    begin = resolve(start, zone)
    if target.amount == 0:
        return begin
    # Same wall time N days later; the start's fold is kept for an ambiguous result.
    return _localize(begin.replace(tzinfo=None) + timedelta(days=target.amount), zone)


def elapsed(calendar: Calendar, start: datetime, end: datetime) -> timedelta:
    """Business time inside working intervals between two instants (zero if end <= start)."""
    compiled = compile_calendar(calendar)
    zone = compiled.zone
    spent = compiled.elapsed_us(_instant_us(start, zone), _instant_us(end, zone))
    return timedelta(microseconds=spent)
