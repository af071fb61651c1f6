"""Periodic jobs run once per interval however many schedulers run; finished tasks are pruned."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from podpora.core import schedule


@pytest.fixture
def counting_job(monkeypatch):
    runs = []
    lock = threading.Lock()

    def count():
        with lock:
            runs.append(threading.get_ident())
        return "counted"

    monkeypatch.setattr(schedule, "JOBS", [("test.count", count)])
    monkeypatch.setattr("django.utils.module_loading.autodiscover_modules", lambda *a: None)
    return runs


@pytest.mark.django_db
def test_a_job_runs_once_per_interval(counting_job):
    every = dt.timedelta(minutes=1)
    assert schedule.run_round(every) == ["test.count: counted"]
    assert schedule.run_round(every) == []  # a second scheduler's round a moment later
    assert len(counting_job) == 1
    from podpora.core.models import JobRun

    run = JobRun.objects.get(name="test.count")
    assert run.ok and run.result == "counted" and run.finished_at is not None
    JobRun.objects.filter(name="test.count").update(due_at=timezone.now())  # interval over
    assert schedule.run_round(every) == ["test.count: counted"]
    assert len(counting_job) == 2


@pytest.mark.django_db
def test_a_failing_job_is_recorded_and_the_others_run(monkeypatch):
    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(schedule, "JOBS", [("test.broken", broken), ("test.ok", lambda: "fine")])
    monkeypatch.setattr("django.utils.module_loading.autodiscover_modules", lambda *a: None)
    assert schedule.run_round() == ["test.broken: failed", "test.ok: fine"]
    from podpora.core.models import JobRun

    assert not JobRun.objects.get(name="test.broken").ok


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent schedulers need PostgreSQL"
)
def test_concurrent_schedulers_run_each_job_once(counting_job):
    """Eight schedulers (threads, each with its own connection) start a round at once."""
    barrier = threading.Barrier(8)
    errors = []

    def scheduler():
        try:
            barrier.wait()
            for _ in range(3):  # each tries three rounds within the interval
                schedule.run_round(dt.timedelta(minutes=5))
        except Exception as exc:  # re-raised below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(counting_job) == 1


def _task(status, finished_days_ago):
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="podpora.tickets.notify.send",
        backend_name="default",
        run_after=now,
        finished_at=None if finished_days_ago is None else now - dt.timedelta(finished_days_ago),
        exception_class_path="",
        traceback="",
    )


@pytest.mark.django_db
def test_prune_deletes_old_finished_tasks_only(settings):
    from django_tasks_db.models import DBTaskResult

    from podpora.core.taskqueue import prune

    settings.TASKS_KEEP_DAYS = 7
    settings.TASKS_KEEP_FAILED_DAYS = 30
    keep = [
        _task("READY", None),
        _task("RUNNING", None),
        _task("SUCCESSFUL", 1),
        _task("FAILED", 10),
    ]
    for _ in range(5):
        _task("SUCCESSFUL", 8)
    _task("FAILED", 31)
    assert prune(batch=2) == 6
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {t.pk for t in keep}
    assert prune() == 0


@pytest.mark.django_db
def test_prune_job_is_registered_and_reports():
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("jobs")
    names = [name for name, _ in schedule.JOBS]
    assert "tasks.prune" in names
    fn = dict(schedule.JOBS)["tasks.prune"]
    assert fn() == "0 pruned"


def test_prune_uses_the_partial_index(db):
    from django_tasks_db.models import DBTaskResult

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's plan is the one that needs the literal statuses")
    table = DBTaskResult._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"EXPLAIN QUERY PLAN SELECT id FROM {table} WHERE status IN ('SUCCESSFUL', 'FAILED') "
            "AND status = 'SUCCESSFUL' AND finished_at < %s LIMIT %s",
            [timezone.now(), 10],
        )
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "podpora_task_finished_idx" in plan
