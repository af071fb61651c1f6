"""The bulk path after a calendar change agrees with the per-ticket services."""

import datetime as dt
from zoneinfo import ZoneInfo

from podpora.sla.recompute import recompute_for_calendar
from podpora.tickets import services
from podpora.tickets.models import Ticket
from tests.conftest import new_ticket

P = ZoneInfo("Europe/Prague")


def snapshot():
    return {
        t.number: (t.first_response_due, t.resolution_due, t.sla_next_check)
        for t in Ticket.objects.order_by("number")
    }


def test_bulk_recompute_matches_services_and_follows_calendar_change(cast):
    starts = [
        dt.datetime(2026, 11, d, h, 17, tzinfo=P) for d in (20, 21, 23, 24) for h in (7, 12, 17)
    ]
    for i, start in enumerate(starts):
        t = new_ticket(cast, impact=1 + i % 3, urgency=1 + (i // 3) % 3, now=start)
        if i % 4 == 0:
            services.reply(
                t,
                "Log?",
                actor=cast.agent,
                new_state="waiting_customer",
                now=start + dt.timedelta(hours=1),
            )
            services.add_customer_message(
                t, "Tady.", contact=cast.contact_a, now=start + dt.timedelta(hours=26)
            )
    before = snapshot()
    assert recompute_for_calendar(cast.calendar.pk, batch=5) == len(starts)
    assert snapshot() == before  # nothing changed, so the same instants

    cast.calendar.holiday_dates = ["2026-11-24", "2026-11-25"]
    cast.calendar.save()
    recompute_for_calendar(cast.calendar.pk)
    bulk = snapshot()
    assert bulk != before
    for t in Ticket.objects.all():  # the per-ticket path gives the same answers
        services.set_priority(t, impact=t.impact, urgency=t.urgency, actor=cast.agent)
    from podpora.sla import services as sla_services

    for t in Ticket.objects.all():
        sla_services.recompute(t, dt.datetime(2026, 11, 26, tzinfo=P))
        t.save()
    assert snapshot() == bulk
