"""SLA clock throughput on one core: how many due instants per second can a bulk recompute get?

Run: ``.venv/bin/python bench/bench_sla.py [--n 200000] [--seed 1]``. Prints figures; never
fails on time (benchmarks are not tests). The goal is >= 200,000 computations/s for the epoch
fast path on a Czech-holiday calendar (Harmonik's hours), starts spread over ten years.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime

from podpora.sla.clock import (
    Calendar,
    CompiledCalendar,
    Target,
    compile_calendar,
    due,
    due_epoch,
    elapsed,
)

HARMONIK = {
    "timezone": "Europe/Prague",
    "week": {
        "mon": [["08:30", "17:00"]],
        "tue": [["08:30", "17:00"]],
        "wed": [["08:30", "18:00"]],
        "thu": [["08:30", "17:00"]],
        "fri": [["10:00", "16:30"]],
        "sat": [],
        "sun": [],
    },
    "holidays": {"countries": ["CZ"], "dates": ["2026-12-31"]},
}
FIRST = int(datetime(2024, 1, 1, tzinfo=UTC).timestamp())
LAST = int(datetime(2034, 1, 1, tzinfo=UTC).timestamp())


def rate(label: str, n: int, run: Callable[[], object], repeat: int = 5) -> float:
    """Best of ``repeat`` timed runs after a warm-up, as timeit does: other load only slows."""
    run()  # warm-up: compiles the window and fills caches
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    best, median = min(times), sorted(times)[len(times) // 2]
    print(f"{label:<58} {n / best:>12,.0f} /s best, {n / median:>12,.0f} /s median")
    return n / best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000, help="computations per figure")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    n = args.n

    calendar = Calendar.from_dict(HARMONIK)
    t0 = time.perf_counter()
    cold = CompiledCalendar(calendar)
    cold.due_epoch(FIRST, 60)
    cold.due_epoch(LAST, 60)
    took = time.perf_counter() - t0
    window = cold._window
    assert window is not None
    print(f"compile {window.first_year}-{window.last_year} (CZ holidays), cold: {took:.3f} s")

    compiled = compile_calendar(calendar)
    starts = [rng.randrange(FIRST, LAST) for _ in range(n)]
    ends = [s + rng.randrange(0, 30 * 86400) for s in starts]
    minutes = [rng.choice((15, 60, 90, 240, 480, 960, 2400)) * 60 for _ in range(n)]
    days = [rng.choice((0, 1, 2, 3, 5)) for _ in range(n)]

    def business() -> None:
        f = compiled.due_epoch
        for s, m in zip(starts, minutes, strict=True):
            f(s, m)

    def business_fn() -> None:
        for s, m in zip(starts, minutes, strict=True):
            due_epoch(compiled, s, m)

    def working_days() -> None:
        f = compiled.due_working_days_epoch
        for s, d in zip(starts, days, strict=True):
            f(s, d)

    def spent() -> None:
        f = compiled.elapsed_epoch
        for s, e in zip(starts, ends, strict=True):
            f(s, e)

    print(f"{n:,} random starts 2024-2034, Harmonik hours, CZ holidays; one core")
    fast = [
        rate("due, business minutes   CompiledCalendar.due_epoch", n, business),
        rate("due, business minutes   due_epoch(compiled, ...)", n, business_fn),
        rate("due, working days       due_working_days_epoch", n, working_days),
        rate("elapsed (<= 30 days)    elapsed_epoch", n, spent),
    ]

    k = min(n, 50_000)
    moments = [datetime.fromtimestamp(s, UTC) for s in starts[:k]]
    stops = [datetime.fromtimestamp(e, UTC) for e in ends[:k]]
    t90, t2 = Target.minutes(90), Target.working_days(2)

    def dt_business() -> None:
        for m in moments:
            due(calendar, m, t90)

    def dt_days() -> None:
        for m in moments:
            due(calendar, m, t2)

    def dt_elapsed() -> None:
        for a, b in zip(moments, stops, strict=True):
            elapsed(calendar, a, b)

    print(f"datetime API (aware datetimes in and out), {k:,} calls")
    rate("due(calendar, start, Target.minutes(90))", k, dt_business)
    rate("due(calendar, start, Target.working_days(2))", k, dt_days)
    rate("elapsed(calendar, start, end)", k, dt_elapsed)

    worst = min(fast)
    verdict = "meets" if worst >= 200_000 else "is BELOW"
    print(f"slowest fast-path figure {worst:,.0f}/s {verdict} the 200,000/s goal")
    return 0


if __name__ == "__main__":
    sys.exit(main())
