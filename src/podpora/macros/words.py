"""A promised instant in words, in the reader's language ("ve čtvrtek 10. prosince 2026 v 14:00")."""

from __future__ import annotations

from datetime import datetime

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext_lazy

#: Monday first: "on Monday" in Czech takes the accusative and "v"/"ve" by the sound
_ON_WEEKDAY = (
    gettext_noop("v pondělí"),
    gettext_noop("v úterý"),
    gettext_noop("ve středu"),
    gettext_noop("ve čtvrtek"),
    gettext_noop("v pátek"),
    gettext_noop("v sobotu"),
    gettext_noop("v neděli"),
)

#: a month as it stands in a date ("10. prosince"): Czech and Slovak take the genitive
_MONTHS = (
    pgettext_lazy("v datu", "ledna"),
    pgettext_lazy("v datu", "února"),
    pgettext_lazy("v datu", "března"),
    pgettext_lazy("v datu", "dubna"),
    pgettext_lazy("v datu", "května"),
    pgettext_lazy("v datu", "června"),
    pgettext_lazy("v datu", "července"),
    pgettext_lazy("v datu", "srpna"),
    pgettext_lazy("v datu", "září"),
    pgettext_lazy("v datu", "října"),
    pgettext_lazy("v datu", "listopadu"),
    pgettext_lazy("v datu", "prosince"),
)


def promised_in_words(instant: datetime | None, language: str = "cs") -> str:
    if instant is None:
        with translation.override(language):
            return _("co nejdříve")
    local = timezone.localtime(instant)
    with translation.override(language):
        return _("%(weekday)s %(date)s v %(time)s") % {
            "weekday": _(_ON_WEEKDAY[local.weekday()]),
            "date": _("%(day)s. %(month)s %(year)s")
            % {"day": local.day, "month": str(_MONTHS[local.month - 1]), "year": local.year},
            "time": formats.time_format(local, "H:i"),
        }
