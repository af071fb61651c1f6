"""The console's form for logging work on a ticket."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _lazy

from podpora.core.forms import DateInput

#: How the work was done; the channel decides who pays (a call counts against the free phone
#: consultations, a remote session is judged as the remote channel).
WORK_CHANNELS = [
    ("", _lazy("práce na požadavku")),
    ("phone", _lazy("telefonická konzultace")),
    ("remote", _lazy("vzdálené připojení")),
]


class TimeForm(forms.Form):
    minutes = forms.IntegerField(label=_lazy("Minut"), min_value=1, max_value=24 * 60)
    note = forms.CharField(label=_lazy("Co bylo uděláno"), max_length=300, required=False)
    worked_on = forms.DateField(label=_lazy("Den"), required=False, widget=DateInput())
    channel = forms.ChoiceField(
        label=_lazy("Druh práce"),
        choices=WORK_CHANNELS,
        required=False,
        initial="",
        widget=forms.RadioSelect,
    )
    connection_id = forms.CharField(
        label=_lazy("ID spojení TeamViewer (u vzdáleného připojení)"),
        max_length=20,
        required=False,
        help_text=_lazy("Zákazník je přečte z okna TeamVieweru, např. 1 234 567 890."),
    )
