from django.utils import timezone

from podpora.core.schedule import job


@job("subscription-renewals")
def subscription_renewals() -> str:
    """In December, next year's yearly services are prepared (idempotent, so every round)."""
    from .subscriptions import prepare_renewals

    today = timezone.localdate()
    if today.month != 12:
        return "not December"
    done = prepare_renewals(today.year)
    return f"{len(done.created)} prepared, {len(done.bonuses_ending)} free years ending"
