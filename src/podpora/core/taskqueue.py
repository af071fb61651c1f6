"""The database task queue seen from outside: its depth, its oldest task, pruning."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

BATCH = 2000


def prune(now: dt.datetime | None = None, batch: int = BATCH) -> int:
    """Delete tasks that finished long enough ago; in batches, so no lock is held for long.

    Successful tasks are kept ``TASKS_KEEP_DAYS`` (the record of what was sent is kept by the
    mail's own rows), failed ones ``TASKS_KEEP_FAILED_DAYS`` for the traceback. Uses the
    partial index on ``finished_at`` (core migration 0004): the cost follows what is deleted,
    not the size of the queue.
    """
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    table = connection.ops.quote_name(DBTaskResult._meta.db_table)
    done = 0
    for status, days in (
        ("SUCCESSFUL", settings.TASKS_KEEP_DAYS),
        ("FAILED", settings.TASKS_KEEP_FAILED_DAYS),
    ):
        cutoff = now - dt.timedelta(days=days)
        # The statuses are written out, not bound: SQLite uses a partial index only when the
        # query repeats its condition literally.
        sql = (
            f"SELECT id FROM {table} WHERE status IN ('SUCCESSFUL', 'FAILED') "
            f"AND status = '{status}' AND finished_at < %s LIMIT %s"
        )
        while True:
            with connection.cursor() as cursor:
                cursor.execute(sql, [cutoff, batch])
                ids = [row[0] for row in cursor.fetchall()]
            if not ids:
                break
            done += DBTaskResult.objects.filter(pk__in=ids).delete()[0]
            if len(ids) < batch:
                break
    return done


def depth() -> dict:
    """Tasks waiting and running, and the age in seconds of the oldest waiting one."""
    from django.db.models import Min
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.filter(status="READY")
    oldest = ready.aggregate(m=Min("enqueued_at"))["m"]
    return {
        "ready": ready.count(),
        "running": DBTaskResult.objects.filter(status="RUNNING").count(),
        "oldest_age": (timezone.now() - oldest).total_seconds() if oldest else 0.0,
    }
