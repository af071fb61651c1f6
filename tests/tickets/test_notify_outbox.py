"""Notifications with the database task queue: written in the change's own transaction."""

import pytest
from django.db import transaction

from podpora.core.queue import in_transaction_queue
from podpora.tickets.models import Ticket
from tests.conftest import new_ticket


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from podpora.mail.tasks import send_notification

    assert in_transaction_queue(send_notification)


def queued():
    from django_tasks_db.models import DBTaskResult

    return list(DBTaskResult.objects.values_list("args_kwargs", flat=True))


def test_the_notification_commits_with_the_ticket(cast, database_queue):
    ticket = new_ticket(cast)
    [task] = queued()
    assert task["args"] == ["ticket_created", ticket.pk]


def test_a_rolled_back_change_leaves_no_notification(cast, database_queue):
    with pytest.raises(RuntimeError), transaction.atomic():
        new_ticket(cast)
        assert len(queued()) == 1  # in the transaction, invisible to the worker until commit
        raise RuntimeError("the request failed after the ticket was made")
    assert Ticket.objects.count() == 0
    assert queued() == []


def test_another_queue_gets_the_task_only_after_the_commit(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        new_ticket(cast)
    assert len(callbacks) == 1  # the immediate queue of the tests: after commit
