"""Two task workers and two schedulers on one PostgreSQL database, as processes: every periodic
job runs once, every SLA breach is recorded once, every task is done by one worker once."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)


def _env(tmp_path) -> dict:
    s = connection.settings_dict
    url = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PODPORA_")}
    env.update(
        DATABASE_URL=url,
        PODPORA_DATA_DIR=str(tmp_path / "data"),
        PODPORA_SMTP_HOST="127.0.0.1",
        PODPORA_SMTP_PORT="9",  # nothing listens: mails are deferred, each still queued once
        PODPORA_FAST_HASHER="1",
    )
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    return env


def _run_all(commands, env):
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "podpora.cli", *cmd],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for cmd in commands
    ]
    outs = [p.communicate(timeout=300)[0].decode(errors="replace") for p in procs]
    for p, out in zip(procs, outs, strict=True):
        assert p.returncode == 0, out
    return outs


def test_two_schedulers_and_two_workers_handle_each_once(tmp_path, settings):
    if connection.vendor != "postgresql":
        pytest.skip("several processes on one PostgreSQL database")
    from django_tasks_db.models import DBTaskResult

    from podpora.core.models import JobRun
    from podpora.tickets.models import Event
    from tests.conftest import build_cast, new_ticket

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    cast = build_cast()
    long_ago = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)  # every SLA due long passed
    tickets = [new_ticket(cast, impact=1, urgency=1, now=long_ago) for _ in range(6)]
    env = _env(tmp_path)
    # the two schedulers start their rounds at once, twice each
    _run_all([["scheduler", "--once"]] * 2, env)
    _run_all([["scheduler", "--once"]] * 2, env)
    # then two workers take the queue (the creation and breach notifications) until it is empty
    _run_all([["db_worker", "--batch", "--no-startup-delay"]] * 2, env)

    for t in tickets:
        kinds = list(Event.objects.filter(ticket=t).values_list("kind", flat=True))
        assert kinds.count("sla_breached") == 1, kinds
        assert kinds.count("escalated") <= 1
    runs = JobRun.objects.all()
    assert runs.exists()
    assert all(r.finished_at is not None for r in runs)
    tasks = DBTaskResult.objects.all()
    assert tasks.exists()
    for task in tasks:
        assert task.status in ("SUCCESSFUL", "FAILED"), task.status
        assert len(task.worker_ids) == 1, task.worker_ids  # claimed by one worker, once
