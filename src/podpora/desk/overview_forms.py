"""Forms of the console's queue: a view's filters, saving a view, bulk work.

Every field has a label and an id of its own (``f-…`` filters, ``sv-…`` saving, ``bulk-…``
bulk work), so the queue page repeats no id whatever else it shows."""

from django import forms
from django.utils.translation import gettext_lazy as _

from podpora.accounts.models import Team, User
from podpora.catalog.models import Product, Version
from podpora.tickets.models import (
    CHANNEL_CHOICES,
    ENTITLEMENT_CHOICES,
    IMPACT_CHOICES,
    LEVEL_CHOICES,
    PRIORITY_CHOICES,
    STATE_CHOICES,
    TYPE_CHOICES,
)

from .overviews import SLA_STATUSES

ANY = [("", _("všechny"))]
SOLVER_LEVELS = [(1, _("1. úroveň")), (2, _("2. úroveň")), (3, _("3. úroveň"))]


def _staff(vendor_id):
    qs = User.objects.filter(kind=User.Kind.STAFF, is_active=True)
    if vendor_id:
        qs = qs.filter(vendor_id=vendor_id)
    return qs.order_by("last_name", "username")


def person(user) -> str:
    return user.get_full_name() or user.username


class ViewFilterForm(forms.Form):
    """The filters of a view (GET). Invalid values are dropped, never an error page."""

    q = forms.CharField(label=_("Hledat"), required=False, max_length=200)
    state = forms.ChoiceField(
        label=_("Stav"),
        required=False,
        choices=[("", _("otevřené")), ("all", _("všechny stavy"))] + STATE_CHOICES,
    )
    team = forms.ModelChoiceField(label=_("Tým"), queryset=Team.objects.none(), required=False)
    level = forms.TypedChoiceField(
        label=_("Úroveň řešení"), choices=ANY + SOLVER_LEVELS, coerce=int, required=False
    )
    assignee = forms.ChoiceField(label=_("Řešitel"), required=False)
    organization = forms.CharField(label=_("Organizace nebo IČO"), required=False, max_length=200)
    product = forms.ModelChoiceField(
        label=_("Produkt"), queryset=Product.objects.none(), required=False
    )
    version = forms.ModelChoiceField(
        label=_("Verze"), queryset=Version.objects.none(), required=False
    )
    type = forms.ChoiceField(label=_("Typ"), choices=ANY + TYPE_CHOICES, required=False)
    priority = forms.TypedChoiceField(
        label=_("Priorita"), choices=ANY + PRIORITY_CHOICES, coerce=int, required=False
    )
    channel = forms.ChoiceField(label=_("Kanál"), choices=ANY + CHANNEL_CHOICES, required=False)
    entitlement = forms.ChoiceField(
        label=_("Nárok"), choices=ANY + ENTITLEMENT_CHOICES, required=False
    )
    sla = forms.ChoiceField(
        label=_("Stav SLA"), choices=ANY + list(SLA_STATUSES.items()), required=False
    )
    created_from = forms.DateField(
        label=_("Vytvořeno od"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    created_to = forms.DateField(
        label=_("Vytvořeno do"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    updated_from = forms.DateField(
        label=_("Změněno od"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    updated_to = forms.DateField(
        label=_("Změněno do"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    FIELDS = (
        "q state team level assignee organization product version type priority channel "
        "entitlement sla created_from created_to updated_from updated_to"
    ).split()

    def __init__(self, *args, vendor_id=None, **kwargs):
        kwargs.setdefault("auto_id", "f-%s")
        super().__init__(*args, **kwargs)
        teams = Team.objects.order_by("name")
        products = Product.objects.order_by("name")
        versions = Version.objects.select_related("product").order_by("product__name", "name")
        if vendor_id:
            teams = teams.filter(vendor_id=vendor_id)
            products = products.filter(vendor_id=vendor_id)
            versions = versions.filter(product__vendor_id=vendor_id)
        self.fields["team"].queryset = teams
        self.fields["product"].queryset = products
        self.fields["version"].queryset = versions
        self.fields["version"].label_from_instance = lambda v: f"{v.product.name} {v.name}"
        self.staff = list(_staff(vendor_id))
        self.fields["assignee"].choices = (
            ANY + [("none", _("nepřidělené"))] + [(str(u.pk), person(u)) for u in self.staff]
        )

    def filters(self) -> dict:
        """The valid filters (invalid ones left out, so a stale link still lists something)."""
        if self.is_valid():
            return {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}
        return {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in self.errors and v not in ("", None)
        }

    def stored(self) -> dict:
        """The filters as a saved view keeps them: the request's raw values of valid fields."""
        data = self.filters()
        return {k: self.data.get(k) for k in self.FIELDS if k in data}


class SaveViewForm(forms.Form):
    name = forms.CharField(label=_("Název pohledu"), max_length=80)
    shared = forms.BooleanField(label=_("Sdílet s kolegy"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "sv-%s")
        super().__init__(*args, **kwargs)


class BulkForm(forms.Form):
    """Bulk work on the selected tickets (or all matching the view)."""

    ACTIONS = [
        ("", _("vyberte akci")),
        ("assign", _("přidělit řešiteli")),
        ("state", _("změnit stav")),
        ("priority", _("změnit prioritu")),
        ("team", _("předat týmu")),
        ("escalate", _("eskalovat o úroveň výš")),
        ("note", _("přidat interní poznámku")),
        ("merge", _("sloučit do požadavku")),
    ]
    action = forms.ChoiceField(label=_("Akce"), choices=ACTIONS)
    assignee = forms.ChoiceField(label=_("Řešitel"), required=False)
    state = forms.ChoiceField(
        label=_("Nový stav"), choices=[("", "–")] + STATE_CHOICES, required=False
    )
    impact = forms.TypedChoiceField(
        label=_("Dopad"), choices=[("", "–")] + IMPACT_CHOICES, coerce=int, required=False
    )
    urgency = forms.TypedChoiceField(
        label=_("Naléhavost"), choices=[("", "–")] + LEVEL_CHOICES, coerce=int, required=False
    )
    team = forms.ModelChoiceField(label=_("Tým"), queryset=Team.objects.none(), required=False)
    body = forms.CharField(
        label=_("Text poznámky nebo důvod eskalace"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=20000,
    )
    into = forms.CharField(label=_("Číslo cílového požadavku"), required=False, max_length=24)
    macro = forms.ChoiceField(label=_("Makro"), required=False)
    tickets = forms.CharField(required=False, widget=forms.MultipleHiddenInput)
    all_matching = forms.BooleanField(label=_("všechny odpovídající pohledu"), required=False)

    def __init__(self, *args, vendor_id=None, macros=(), **kwargs):
        kwargs.setdefault("auto_id", "bulk-%s")
        super().__init__(*args, **kwargs)
        teams = Team.objects.order_by("name")
        if vendor_id:
            teams = teams.filter(vendor_id=vendor_id)
        self.fields["team"].queryset = teams
        self.staff = list(_staff(vendor_id))
        self.fields["assignee"].choices = [
            ("", "–"),
            ("me", _("mně")),
            ("none", _("nikomu (uvolnit)")),
        ] + [(str(u.pk), person(u)) for u in self.staff]
        self.macros = list(macros)
        if self.macros:
            self.fields["action"].choices = [*self.ACTIONS, ("macro", _("použít makro"))]
            self.fields["macro"].choices = [("", "–")] + [(str(m.pk), m.name) for m in self.macros]

    def clean_tickets(self):
        return [n.strip() for n in self.data.getlist("tickets") if n.strip()][:1000]

    def clean(self):
        data = super().clean()
        action = data.get("action")
        need = {
            "assign": ("assignee", _("Vyberte řešitele.")),
            "state": ("state", _("Vyberte nový stav.")),
            "team": ("team", _("Vyberte tým.")),
            "note": ("body", _("Napište text poznámky.")),
            "merge": ("into", _("Zadejte číslo požadavku, do kterého se má sloučit.")),
            "macro": ("macro", _("Vyberte makro.")),
        }
        if action in need:
            field, message = need[action]
            if not data.get(field):
                self.add_error(field, message)
        if action == "priority" and not (data.get("impact") and data.get("urgency")):
            self.add_error("impact", _("Vyberte dopad i naléhavost."))
        if action and not data.get("tickets") and not data.get("all_matching"):
            raise forms.ValidationError(_("Vyberte alespoň jeden požadavek."))
        return data
