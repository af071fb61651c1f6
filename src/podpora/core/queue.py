"""Queueing a task from inside a transaction.

With the database task queue (production) the task row is written in the same transaction
as the change it reports: committed together or rolled back together, so a crash right after
the commit cannot lose the task (a transactional outbox), and no extra commit is paid. Any
other queue (the tests' immediate one) is handed the task after the commit, so it never acts
on a change that is then rolled back.
"""

from __future__ import annotations

from django.db import transaction


def enqueue(task, *args) -> None:
    if in_transaction_queue(task):
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args))


def in_transaction_queue(task) -> bool:
    """Does ``task``'s queue write to our database (so enqueueing joins the transaction)?"""
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task.get_backend(), DatabaseBackend)
