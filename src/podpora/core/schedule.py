"""Periodic jobs, each a function returning a line for the log; registered here, in one place.

A round runs every job that is due. However many schedulers run (two machines, a restart that
overlaps the old process), each job runs once per interval: a scheduler runs a job only after
it moved the job's ``JobRun.due_at`` from the past into the future by a conditional UPDATE,
which only one of them can win (the database serialises writes to one row).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

JOBS: list[tuple[str, Callable[[], str]]] = []
DEFAULT_INTERVAL = dt.timedelta(seconds=60)

log = logging.getLogger(__name__)


def job(name: str):
    def register(fn):
        JOBS.append((name, fn))
        return fn

    return register


def claim(name: str, now: dt.datetime, interval: dt.timedelta) -> bool:
    """Is this scheduler the one to run ``name`` now? At most one wins per interval."""
    from django.db import IntegrityError, transaction

    from podpora.core.models import JobRun

    won = JobRun.objects.filter(name=name, due_at__lte=now).update(
        due_at=now + interval, started_at=now
    )
    if won:
        return True
    if JobRun.objects.filter(name=name).exists():
        return False
    try:  # first round ever: whoever inserts the row runs the job
        with transaction.atomic():
            JobRun.objects.create(name=name, due_at=now + interval, started_at=now)
        return True
    except IntegrityError:
        return False


def finish(name: str, result: str, ok: bool) -> None:
    from django.utils import timezone

    from podpora.core.models import JobRun

    JobRun.objects.filter(name=name).update(finished_at=timezone.now(), result=result[:500], ok=ok)


def run_round(interval: dt.timedelta = DEFAULT_INTERVAL, stop=None) -> list[str]:
    """Run each due job this scheduler wins; lines for the log (jobs another one runs are left out).

    A job is due ``interval`` after it last started; a little less, so that a scheduler whose
    rounds are exactly ``interval`` apart does not miss every other one to clock jitter.
    """
    from django.utils import timezone
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("jobs")
    slack = min(interval / 10, dt.timedelta(seconds=5))
    out = []
    for name, fn in JOBS:
        if stop is not None and stop.is_set():
            break
        if not claim(name, timezone.now(), interval - slack):
            continue
        try:
            line = fn()
            ok = True
        except Exception:  # noqa: BLE001 - one failing job must not stop the others
            log.exception("job %s failed", name)
            line, ok = "failed", False
        finish(name, line, ok)
        out.append(f"{name}: {line}")
    return out
