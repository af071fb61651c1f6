"""The console's "Kdo a o čem" card: an agent sets organisation, contact, licence, product and
version on a ticket afterwards (a caller identified later, an e-mail from a new address, the
version asked for and given), and entitlement and SLA follow (``services.set_ticket_facts``)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from podpora.accounts import access
from podpora.catalog.models import Product, Version
from podpora.customers.models import Contact, Licence, Organization
from podpora.tickets import services

from .views import staff_required


class FactsForm(forms.Form):
    prefix = "facts"

    organization = forms.ModelChoiceField(
        label=_lazy("Organizace"), queryset=Organization.objects.none(), required=False
    )
    contact = forms.ModelChoiceField(
        label=_lazy("Kontaktní osoba"), queryset=Contact.objects.none(), required=False
    )
    licence = forms.ModelChoiceField(
        label=_lazy("Licence"), queryset=Licence.objects.none(), required=False
    )
    product = forms.ModelChoiceField(
        label=_lazy("Produkt"), queryset=Product.objects.none(), required=False
    )
    version = forms.ModelChoiceField(
        label=_lazy("Verze"), queryset=Version.objects.none(), required=False
    )

    def __init__(self, *args, ticket, **kwargs):
        kwargs.setdefault(
            "initial",
            {name: getattr(ticket, f"{name}_id") for name in services.FACTS},
        )
        super().__init__(*args, **kwargs)
        vendor = ticket.vendor_id
        f = self.fields
        f["organization"].queryset = Organization.objects.filter(vendor=vendor).order_by("name")
        f["organization"].label_from_instance = _organization_label
        f["contact"].queryset = (
            Contact.objects.filter(organization__vendor=vendor, is_active=True)
            .select_related("organization")
            .order_by("last_name", "first_name")
        )
        f["contact"].label_from_instance = _contact_label
        f["licence"].queryset = (
            Licence.objects.filter(vendor=vendor).select_related("organization").order_by("number")
        )
        f["licence"].label_from_instance = _licence_label
        f["product"].queryset = Product.objects.filter(vendor=vendor).order_by("name")
        f["version"].queryset = (
            Version.objects.filter(product__vendor=vendor)
            .select_related("product")
            .order_by("product__name", "-released_on")
        )

    def clean(self):
        data = super().clean()
        # the organisation follows from the person or the licence when the agent left it out
        for source in ("contact", "licence"):
            if data.get(source) is not None and data.get("organization") is None:
                data["organization"] = data[source].organization
        return data


def _organization_label(org) -> str:
    return f"{org.name} (IČO {org.ico})" if org.ico else org.name


def _contact_label(contact) -> str:
    return f"{contact.full_name} – {contact.organization.name}"


def _licence_label(licence) -> str:
    return f"{licence.number} – {licence.organization.name}"


def facts_form(ticket) -> FactsForm:
    return FactsForm(ticket=ticket)


@staff_required
@require_POST
def set_facts(request, number):
    ticket = access.get_ticket(request.user, number)
    form = FactsForm(request.POST, ticket=ticket)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("desk:detail", number=number)
    try:
        services.set_ticket_facts(ticket, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Uloženo. Nárok a SLA jsou přepočteny."))
    return redirect("desk:detail", number=number)
