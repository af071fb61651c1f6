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


class AmountField(forms.DecimalField):
    """A number as people type it: "9 000", "1 500,50" (spaces between thousands)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(value.split())
        return super().to_python(value)


class QuoteForm(forms.Form):
    analysis = forms.CharField(
        label=_("Analýza a rozsah prací (uvidí zákazník)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
    hours = AmountField(
        label=_("Hodin"), min_value=0, max_digits=8, decimal_places=2, localize=True
    )
    rate = AmountField(
        label=_("Sazba (Kč/h bez DPH), prázdné = podle ceníku"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        localize=True,
    )
    fixed_amount = AmountField(
        label=_("Nebo pevná cena za celou změnu (Kč bez DPH); hodiny jsou pak odhad"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        localize=True,
    )
    delivery_on = forms.DateField(label=_("Termín dodání"), widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("fixed_amount") is not None and data.get("rate") is not None:
            self.add_error("fixed_amount", _("Zadejte buď sazbu, nebo pevnou cenu, ne obojí."))
        return data


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


class ReplyGuard(forms.Form):
    """What the reply form carries besides the text: the newest article the agent saw when the
    page was loaded, and their word to send although someone answered meanwhile."""

    seen = forms.IntegerField(required=False, widget=forms.HiddenInput)
    send_anyway = forms.BooleanField(
        label=_("Přesto odeslat (odpověď jsem upravil podle nové zprávy)"), required=False
    )


LINK_KIND_CHOICES = [
    ("related", _("souvisí s požadavkem")),
    ("caused_by", _("je způsoben problémem")),
    ("duplicate", _("je duplicitou požadavku")),
    ("fixed_in", _("je opraven ve vydání opravy požadavku")),
]


class LinkForm(forms.Form):
    kind = forms.ChoiceField(label=_("Vazba"), choices=LINK_KIND_CHOICES)
    number = forms.CharField(label=_("Číslo požadavku"), max_length=24)


class MergeForm(forms.Form):
    number = forms.CharField(label=_("Sloučit do požadavku (číslo)"), max_length=24)


class SplitForm(forms.Form):
    article = forms.IntegerField(widget=forms.HiddenInput)


class AssignMeForm(forms.Form):
    pass


class MacroForm(forms.Form):
    """The macro picked on the reply card: its text put into the reply, or the whole macro
    applied (text sent, state and the rest set)."""

    macro = forms.ModelChoiceField(label=_("Makro"), queryset=None, required=False)
    kb = forms.ModelChoiceField(label=_("Článek znalostní báze"), queryset=None, required=False)

    def __init__(self, *args, macros, articles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["macro"].queryset = macros
        self.fields["kb"].queryset = articles
        self.fields["kb"].label_from_instance = lambda a: f"{a.title} ({a.language})"
        for name in ("macro", "kb"):  # beside the reply form, sent with it
            self.fields[name].widget.attrs["form"] = "reply-form"


class AgentTicketForm(forms.Form):
    """A request an agent opens for a customer (a letter, a call taken elsewhere, a visit)."""

    organization = forms.ModelChoiceField(label=_("Organizace"), queryset=None)
    contact = forms.ModelChoiceField(label=_("Kontaktní osoba"), queryset=None, required=False)
    product = forms.ModelChoiceField(label=_("Produkt"), queryset=None, required=False)
    version = forms.ModelChoiceField(label=_("Verze"), queryset=None, required=False)
    channel = forms.ChoiceField(
        label=_("Jak požadavek přišel"),
        choices=[
            ("phone", _("telefon")),
            ("email", _("e-mail")),
            ("fax", _("fax")),
            ("post", _("pošta")),
            ("portal", _("osobně nebo jinak")),
        ],
    )
    type = forms.ChoiceField(label=_("Typ požadavku"), choices=TYPE_CHOICES, initial="question")
    subject = forms.CharField(label=_("Předmět"), max_length=250)
    body = forms.CharField(label=_("Text požadavku"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, vendor, **kwargs):
        from podpora.catalog.models import Product, Version
        from podpora.customers.models import Contact, Organization

        super().__init__(*args, **kwargs)
        f = self.fields
        f["organization"].queryset = Organization.objects.filter(vendor=vendor).order_by("name")
        f["contact"].queryset = (
            Contact.objects.filter(organization__vendor=vendor, is_active=True)
            .select_related("organization")
            .order_by("last_name", "first_name")
        )
        f["contact"].label_from_instance = lambda c: f"{c.full_name} – {c.organization.name}"
        f["product"].queryset = Product.objects.filter(vendor=vendor).order_by("name")
        f["version"].queryset = (
            Version.objects.filter(product__vendor=vendor)
            .select_related("product")
            .order_by("product__name", "-released_on")
        )
        f["version"].label_from_instance = lambda v: f"{v.product.name} {v.name}"

    def clean(self):
        data = super().clean()
        contact, org = data.get("contact"), data.get("organization")
        if contact is not None and org is not None and contact.organization_id != org.pk:
            self.add_error("contact", _("Kontaktní osoba nepatří k této organizaci."))
        version = data.get("version")
        if version is not None and data.get("product") is None:
            data["product"] = version.product
        return data
