"""A vendor's channels as customers read them: number or address, hours in words, a note."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from podpora.sla.hours import week_in_words

from .models import ChannelInfo


def _day_names() -> dict[str, str]:
    return {
        "mon": pgettext("den v týdnu", "po"),
        "tue": pgettext("den v týdnu", "út"),
        "wed": pgettext("den v týdnu", "st"),
        "thu": pgettext("den v týdnu", "čt"),
        "fri": pgettext("den v týdnu", "pá"),
        "sat": pgettext("den v týdnu", "so"),
        "sun": pgettext("den v týdnu", "ne"),
    }


def hours_in_words(calendar) -> str:
    """ "po–pá 8:00–17:00, kromě svátků", "nonstop", in the active language."""
    text = week_in_words(calendar.week, _day_names(), nonstop=_("nonstop"), closed=_("mimo provoz"))
    if calendar.holiday_countries or calendar.holiday_dates:
        if text not in (_("nonstop"), _("mimo provoz")):
            text = _("%(hours)s, kromě svátků") % {"hours": text}
    return text


def list_channels(vendor) -> list[dict]:
    """The vendor's channels in its order, each {channel, label, contact, hours, note}."""
    if vendor is None:
        return []
    out = []
    rows = ChannelInfo.objects.filter(vendor=vendor).select_related("calendar")
    for row in rows:
        if row.always_open:
            hours = _("kdykoli")
        else:
            calendar = row.calendar or vendor.calendar
            hours = hours_in_words(calendar) if calendar is not None else ""
        out.append(
            {
                "channel": row.channel,
                "label": row.get_channel_display(),
                "contact": row.contact,
                "hours": hours,
                "note": row.note_text(),
            }
        )
    return out
