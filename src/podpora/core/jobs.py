"""The task queue's own housekeeping: finished tasks are pruned, so the queue stays small."""

from podpora.core.schedule import job


@job("tasks.prune")
def prune_tasks() -> str:
    from podpora.core.taskqueue import prune

    return f"{prune()} pruned"
