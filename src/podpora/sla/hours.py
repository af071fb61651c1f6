"""A business calendar's week in words, as customers read it: "po–pá 8:00–17:00".

Pure (stdlib only). Days with the same hours are grouped in week order; three or more days
in a row become a range ("po–pá"), shorter runs a list ("po, út, čt"). The caller gives the
day abbreviations and the words in the reader's language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ALL_DAY = (("00:00", "24:00"),)


def _time(text: str) -> str:
    hours, _sep, minutes = text.partition(":")
    return f"{int(hours)}:{minutes or '00'}"


def _runs(days: Sequence[str]) -> list[list[str]]:
    runs: list[list[str]] = []
    for day in days:
        if runs and DAYS.index(day) == DAYS.index(runs[-1][-1]) + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


def _days(days: Sequence[str], names: Mapping[str, str]) -> str:
    parts = []
    for run in _runs(days):
        if len(run) >= 3:
            parts.append(f"{names[run[0]]}–{names[run[-1]]}")
        else:
            parts.extend(names[d] for d in run)
    return ", ".join(parts)


def week_in_words(
    week: Mapping[str, Sequence[Sequence[str]]],
    names: Mapping[str, str],
    *,
    nonstop: str = "nonstop",
    closed: str = "",
) -> str:
    """The week's hours, e.g. "po, út, čt 8:30–17:00; st 8:30–18:00; pá 10:00–16:30".

    ``names`` maps mon..sun to the reader's abbreviations; every day open all day gives
    ``nonstop``, a week without hours ``closed``."""
    hours = {d: tuple(tuple(i) for i in week.get(d) or ()) for d in DAYS}
    if all(h == ALL_DAY for h in hours.values()):
        return nonstop
    groups: dict[tuple, list[str]] = {}
    for day in DAYS:
        if hours[day]:
            groups.setdefault(hours[day], []).append(day)
    if not groups:
        return closed
    parts = []
    for intervals, days in groups.items():
        parts.append(f"{_days(days, names)} {day_text(intervals)}")
    return "; ".join(parts)


_SHIFT = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*[-–—]\s*(\d{1,2})(?:[:.](\d{2}))?$")


def day_text(intervals: Sequence[Sequence[str]]) -> str:
    """One day's shifts as a person types them: "8:00–12:00, 13:00–16:30"; "" when closed."""
    return ", ".join(f"{_time(start)}–{_time(end)}" for start, end in intervals or ())


def parse_day(text: str) -> list[list[str]]:
    """What ``day_text`` writes (and what people type: "8-16:30", "8.00 – 12.00; 13–17") as
    the calendar's shifts [["08:00", "16:30"], …]. Times are not range-checked here (the
    engine checks them); a part that is no shift at all raises ValueError naming it."""
    out = []
    for part in re.split(r"[,;]", text or ""):
        part = part.strip()
        if not part:
            continue
        m = _SHIFT.match(part)
        if m is None:
            raise ValueError(part)
        h1, m1, h2, m2 = m.groups()
        out.append([f"{int(h1):02d}:{m1 or '00'}", f"{int(h2):02d}:{m2 or '00'}"])
    return out
