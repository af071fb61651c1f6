"""Staff record a customer's product purchase (the console's "Nákupy produktů" menu);
Harmonik's page: a new product brings remote access free for the next calendar year."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from podpora.catalog.models import Product
from podpora.core.days import day
from podpora.core.forms import DateInput, apply_validation_error
from podpora.customers.models import Organization
from podpora.desk.views import staff_required

from .models import ProductPurchase
from .subscriptions import record_purchase


class PurchaseForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_lazy("Organizace"), queryset=Organization.objects.none()
    )
    product = forms.ModelChoiceField(label=_lazy("Produkt"), queryset=Product.objects.none())
    purchased_on = forms.DateField(label=_lazy("Datum nákupu"), widget=DateInput())

    def __init__(self, *args, vendor=None, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = Organization.objects.exclude(stage="former").order_by("name")
        products = Product.objects.order_by("name")
        if vendor is not None:
            orgs, products = orgs.filter(vendor=vendor), products.filter(vendor=vendor)
        self.fields["organization"].queryset = orgs
        self.fields["product"].queryset = products


@staff_required
def purchases_view(request):
    vendor = request.user.vendor if request.user.vendor_id else None
    form = PurchaseForm(
        request.POST or None, vendor=vendor, initial={"purchased_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            purchase = record_purchase(
                d["organization"], d["product"], d["purchased_on"], actor=request.user
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            text = _("Nákup zaznamenán: %(org)s, %(product)s, %(date)s.") % {
                "org": purchase.organization.name,
                "product": purchase.product.name,
                "date": day(purchase.purchased_on),
            }
            if purchase.subscription is not None:
                text += " " + _("Vzdálený přístup je zdarma na rok %(year)s.") % {
                    "year": purchase.subscription.year
                }
            messages.success(request, text)
            return redirect("billing:purchases")
    recent = ProductPurchase.objects.select_related("organization", "product", "subscription")
    if vendor is not None:
        recent = recent.filter(organization__vendor=vendor)
    return render(request, "billing/purchases.html", {"form": form, "purchases": recent[:50]})
