"""InTouch CRM's page, rule by rule, through the database (the demo's set-up of the vendor)."""

from __future__ import annotations

import datetime as dt

import pytest

from .conftest import PRAGUE, file_ticket

# The page's reaction times. TODAY is a Monday; a request at 10:00 is received that day, and
# "the next working day" closes on Tuesday at 16:00 (the hotline's hours, 8:00-16:00).
NEXT_WORKING_DAY = dt.datetime(2026, 3, 3, 16, 0, tzinfo=PRAGUE)
IN_A_WEEK = dt.datetime(2026, 3, 9, 10, 0, tzinfo=PRAGUE)

# type, impact, urgency -> first response target, resolution target, first response due,
# resolution due
REACTION_TIMES = [
    # ordinary questions: "ihned (telefon) a nebo nejpozději následující pracovní den"
    ("question", 2, 2, "1wd", "1wd", NEXT_WORKING_DAY, NEXT_WORKING_DAY),
    ("question", 1, 1, "1wd", "1wd", NEXT_WORKING_DAY, NEXT_WORKING_DAY),
    ("question", 3, 3, "1wd", "1wd", NEXT_WORKING_DAY, NEXT_WORKING_DAY),
    # serious problems: active work the same day, at the latest the next working day
    ("incident", 1, 1, "1wd", "", NEXT_WORKING_DAY, None),
    ("bug", 1, 2, "1wd", "", NEXT_WORKING_DAY, None),
    # less serious: active work within a week of the report
    ("bug", 2, 2, "7d", "", IN_A_WEEK, None),
    # cosmetic faults: removed in the next official update
    ("bug", 3, 2, "1wd", "release", NEXT_WORKING_DAY, None),
    ("bug", 3, 3, "1wd", "release", NEXT_WORKING_DAY, None),
]


@pytest.mark.parametrize("type,impact,urgency,first,resolution,first_due,due", REACTION_TIMES)
def test_intouch_reaction_times_follow_the_page(
    seed, type, impact, urgency, first, resolution, first_due, due
):
    vendor = seed("intouch")
    ticket = file_ticket(
        vendor, "intouch-prochazka", channel="email", type=type, impact=impact, urgency=urgency
    )
    assert ticket.entitlement_status == "covered"
    assert (ticket.first_response_target, ticket.resolution_target) == (first, resolution)
    assert ticket.first_response_due == first_due
    assert ticket.resolution_due == due
