"""Thin task wrappers: ids in, one service call, idempotent."""

from django_tasks import task


@task()
def send_notification(kind: str, object_id: int) -> None:
    from . import outbound

    outbound.send_notification(kind, object_id)
