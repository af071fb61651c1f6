from django_tasks import task


@task()
def recompute_calendar(calendar_id: int) -> int:
    from .recompute import recompute_for_calendar

    return recompute_for_calendar(calendar_id)
