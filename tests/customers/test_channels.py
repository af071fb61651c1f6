"""Each vendor's channels as customers read them (number, address, hours in words) on the
portal and the public form, and the SLA of a request counted in its channel's calendar."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from podpora.customers.channels import list_channels
from tests.billing.conftest import PRAGUE, _clean_cache, contact, file_ticket, seed  # noqa: F401

# vendor, channel, (contact, hours) as a Czech reader sees them
SHOWN = [
    ("cloudempiere", "phone", "+421 2 000 000", "po–pá 8:00–17:00, kromě svátků"),
    ("cloudempiere", "portal", "", "kdykoli"),
    ("hrplus", "phone", "+420 602 570 507", "po–pá 8:00–16:30, kromě svátků"),
    (
        "harmonik",
        "phone",
        "224 211 287",
        "po, út, čt 8:30–17:00; st 8:30–18:00; pá 10:00–16:30, kromě svátků",
    ),
    ("harmonik", "email", "info@harmonik.example", "kdykoli"),
    ("intouch", "phone", "478 571 021", "po–pá 8:00–16:00, kromě svátků"),
    ("estelar", "phone", "+420 573 395 466", "po–pá 8:00–17:00, kromě svátků"),
]


@pytest.mark.parametrize("slug,channel,number,hours", SHOWN)
def test_channel_contact_and_hours_in_words(seed, slug, channel, number, hours):  # noqa: F811
    with translation.override("cs"):
        shown = {c["channel"]: c for c in list_channels(seed(slug))}
    assert (shown[channel]["contact"], shown[channel]["hours"]) == (number, hours)


def test_hrplus_hotline_is_the_only_phone_channel(seed):  # noqa: F811
    with translation.override("cs"):
        channels = list_channels(seed("hrplus"))
    phones = [c for c in channels if c["channel"] == "phone"]
    assert len(phones) == 1 and "Výhradně" in phones[0]["note"]


def test_slovak_reader_reads_slovak_days(seed):  # noqa: F811
    with translation.override("sk"):
        shown = {c["channel"]: c for c in list_channels(seed("harmonik"))}
    assert shown["phone"]["hours"].startswith("po, ut, št 8:30–17:00; st 8:30–18:00; pi")


def test_portal_and_public_form_show_the_channels(client, seed):  # noqa: F811
    seed("cloudempiere", timezone.localdate())
    seed("hrplus", timezone.localdate())
    client.force_login(contact("ce-kovac").user)
    page = client.get("/portal/", HTTP_ACCEPT_LANGUAGE="cs").content.decode()
    assert 'id="channels"' in page and "+421 2 000 000" in page
    assert "8:00–17:00" in page
    client.logout()
    form = client.get("/dotaz/hrplus/", HTTP_ACCEPT_LANGUAGE="cs").content.decode()
    assert "+420 602 570 507" in form and "8:00–16:30" in form


SATURDAY = dt.date(2026, 3, 7)


@pytest.mark.parametrize(
    "channel,first_response_due",
    [
        # the portal runs 24/7: 2 business hours (strategic level) from Saturday 10:00
        ("portal", dt.datetime(2026, 3, 7, 12, 0, tzinfo=PRAGUE)),
        # the phone works on working days 8:00–17:00: Monday 8:00 + 2 h
        ("phone", dt.datetime(2026, 3, 9, 10, 0, tzinfo=PRAGUE)),
    ],
)
def test_sla_counts_in_the_channels_calendar(seed, channel, first_response_due):  # noqa: F811
    ticket = file_ticket(
        seed("cloudempiere"), "ce-kovac", channel=channel, on=SATURDAY, impact=1, urgency=2
    )
    assert ticket.priority == 2 and ticket.first_response_target == "2h"
    assert ticket.first_response_due == first_response_due
