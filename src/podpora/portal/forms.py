from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from podpora.catalog.models import Product, Version
from podpora.customers.scopes import add_scope_field
from podpora.tickets.models import IMPACT_CHOICES, LEVEL_CHOICES, TYPE_CHOICES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [super(MultipleFileField, self).clean(d, initial) for d in items]
        for f in cleaned:
            if f is not None and f.size > settings.MAX_ATTACHMENT_BYTES:
                raise forms.ValidationError(
                    _("Soubor %(name)s je větší, než je povoleno (%(limit)s)."),
                    params={
                        "name": f.name,
                        # "500,0 KB", "25,0 MB": a limit under 1 MB is not "0 MB"
                        "limit": filesizeformat(settings.MAX_ATTACHMENT_BYTES),
                    },
                )
        return [f for f in cleaned if f is not None]


class NewTicketForm(forms.Form):
    subject = forms.CharField(label=_("Předmět"), max_length=250)
    type = forms.ChoiceField(label=_("Typ požadavku"), choices=TYPE_CHOICES, initial="question")
    product = forms.ModelChoiceField(
        label=_("Produkt"), queryset=Product.objects.none(), required=False
    )
    version = forms.ModelChoiceField(
        label=_("Verze"), queryset=Version.objects.none(), required=False
    )
    impact = forms.TypedChoiceField(
        label=_("Dopad na organizaci"), choices=IMPACT_CHOICES, coerce=int, initial=2
    )
    urgency = forms.TypedChoiceField(
        label=_("Naléhavost"), choices=LEVEL_CHOICES, coerce=int, initial=2
    )
    body = forms.CharField(label=_("Popis"), widget=forms.Textarea(attrs={"rows": 8}))
    files = MultipleFileField(label=_("Přílohy"))

    def __init__(self, *args, vendor=None, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        functions = (
            organization.implemented_functions.filter(active=True).order_by("name")
            if organization is not None
            else None
        )
        if functions is not None and functions.exists():
            # in implementation (HR Plus) support serves the functions being implemented
            self.fields["implemented_function"] = forms.ModelChoiceField(
                label=_("Implementovaná funkce"),
                queryset=functions,
                required=False,
                empty_label=_("(jiná funkce)"),
                help_text=_("Během implementace podpora slouží k funkcím, které se implementují."),
            )
        if vendor is not None:
            self.fields["product"].queryset = Product.objects.filter(vendor=vendor)
            self.fields["version"].queryset = Version.objects.filter(
                product__vendor=vendor
            ).select_related("product")
            add_scope_field(self, vendor, "portal")
            if "scope" in self.fields:  # right after the type
                self.order_fields(["subject", "type", "scope"])


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Zpráva"), widget=forms.Textarea(attrs={"rows": 5}))
    files = MultipleFileField(label=_("Přílohy"))
