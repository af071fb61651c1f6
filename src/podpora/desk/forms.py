from django import forms
from django.utils.translation import gettext_lazy as _

from podpora.accounts.models import User
from podpora.core.days import day
from podpora.core.forms import DateInput
from podpora.customers.scopes import scope_choices
from podpora.portal.forms import MultipleFileField
from podpora.tickets.models import IMPACT_CHOICES, LEVEL_CHOICES, STATE_CHOICES, TYPE_CHOICES


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Odpověď zákazníkovi"), widget=forms.Textarea(attrs={"rows": 6}))
    state = forms.ChoiceField(
        label=_("Nový stav"), choices=[("", _("beze změny"))] + STATE_CHOICES, required=False
    )
    files = MultipleFileField(label=_("Přílohy"))


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Interní poznámka"), widget=forms.Textarea(attrs={"rows": 3}))


class StateForm(forms.Form):
    state = forms.ChoiceField(label=_("Stav"), choices=STATE_CHOICES)


class PriorityForm(forms.Form):
    impact = forms.TypedChoiceField(label=_("Dopad"), choices=IMPACT_CHOICES, coerce=int)
    urgency = forms.TypedChoiceField(label=_("Naléhavost"), choices=LEVEL_CHOICES, coerce=int)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Řešitel"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args, vendor=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = User.objects.filter(kind="staff", is_active=True)
        if vendor is not None:
            qs = qs.filter(vendor=vendor)
        self.fields["assignee"].queryset = qs.order_by("last_name", "username")


class EscalateForm(forms.Form):
    reason = forms.CharField(label=_("Důvod eskalace"), max_length=300)


class EntitlementForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Nárok"),
        choices=[
            ("covered", _("v rámci smlouvy")),
            ("billable", _("placené")),
            ("rejected", _("mimo podporu")),
        ],
    )
    note = forms.CharField(label=_("Důvod"), max_length=300)


class ConfirmBugForm(forms.Form):
    note = forms.CharField(
        label=_("Jak byla chyba ověřena (uvidí zákazník)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )


class FixedInForm(forms.Form):
    release = forms.ModelChoiceField(label=_("Opraveno ve vydání"), queryset=None)

    def __init__(self, *args, ticket=None, **kwargs):
        from podpora.catalog.models import Release

        super().__init__(*args, **kwargs)
        releases = Release.objects.select_related("version").order_by("-published_at", "-pk")
        self.fields["release"].queryset = releases.filter(product_id=ticket.product_id)
        self.fields["release"].label_from_instance = _release_label


def _release_label(release) -> str:
    if release.published_at is None:
        return _("%(version)s (datum vydání zatím není)") % {"version": release.version.name}
    return f"{release.version.name} ({day(release.published_at)})"


class CauseForm(forms.Form):
    cause = forms.ChoiceField(label=_("Příčina"), required=False, choices=[])

    def __init__(self, *args, **kwargs):
        from podpora.tickets.models import Ticket

        super().__init__(*args, **kwargs)
        self.fields["cause"].choices = Ticket._meta.get_field("cause").choices


class ReclassifyForm(forms.Form):
    """What kind of request this is: the vendor's kinds (scope items) and the type."""

    type = forms.ChoiceField(label=_("Typ požadavku"), choices=TYPE_CHOICES)

    def __init__(self, *args, ticket=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"] = forms.ChoiceField(
            label=_("Druh požadavku"),
            choices=scope_choices(ticket.vendor, ticket.channel),
            required=False,
        )


class RequestDataForm(forms.Form):
    body = forms.CharField(
        label=_("Jaká data a jak je poslat (uvidí zákazník)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


class DataReceivedForm(forms.Form):
    pass


class QuoteForm(forms.Form):
    analysis = forms.CharField(
        label=_("Analýza a rozsah prací (uvidí zákazník)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
    hours = forms.DecimalField(
        label=_("Hodin"), min_value=0, max_digits=8, decimal_places=2, localize=True
    )
    rate = forms.DecimalField(
        label=_("Sazba (Kč/h bez DPH), prázdné = podle ceníku"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        localize=True,
    )
    delivery_on = forms.DateField(label=_("Termín dodání"), widget=DateInput())


class DeliverQuoteForm(forms.Form):
    note = forms.CharField(
        label=_("Zpráva zákazníkovi k dodávce"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class ProblemLinkForm(forms.Form):
    problem = forms.CharField(label=_("Číslo problému, který incident způsobil"), max_length=24)


class RootCauseForm(forms.Form):
    root_cause = forms.CharField(
        label=_("Příčina problému (uvidí zákazníci incidentů)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
