from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from podpora.customers.admin import ReadOnlyAdmin

from . import subscriptions
from .models import Proforma, Subscription, TimeEntry, VendorBilling


@admin.register(TimeEntry)
class TimeEntryAdmin(ReadOnlyAdmin):
    """Read-only: time is logged on the ticket (the console's card, the hotline page) by
    billing/services.py, which decides who pays and draws on the prepaid packages."""

    list_display = ("ticket", "user", "minutes", "mode", "rate", "worked_on")
    list_select_related = ("ticket", "user")


class SubscriptionForm(forms.ModelForm):
    class Meta:
        model = Subscription
        fields = ("organization", "service", "year", "quantity", "price", "free_reason")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "price" in self.fields:  # not on the view-only page
            self.fields["price"].required = False  # empty: the price list's, times the quantity

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        org, service = data.get("organization"), data.get("service")
        try:
            subscriptions.validate_subscription(org, service, data["year"], data["quantity"])
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        return data


class SubscriptionWrites:
    """Subscribed through billing/subscriptions.py (price from the price list, one per year);
    shown, not changed or deleted: invoicing and entitlement read these rows. Shared by the
    operator's admin and the vendor's administration."""

    form = SubscriptionForm
    list_display = ("organization", "service", "year", "quantity", "price", "free_reason")

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = subscriptions.subscribe(
            data["organization"],
            data["service"],
            data["year"],
            quantity=data["quantity"],
            price=data.get("price"),
            free_reason=data.get("free_reason") or "",
        )
        obj.pk = saved.pk

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Subscription)
class SubscriptionAdmin(SubscriptionWrites, admin.ModelAdmin):
    list_filter = ("year", "service")


@admin.register(VendorBilling)
class VendorBillingAdmin(admin.ModelAdmin):
    list_display = ("legal_name", "vendor", "ico", "dic", "bank_account")


@admin.register(Proforma)
class ProformaAdmin(ReadOnlyAdmin):
    """Issued by the START job, marked paid on the billing page (which activates the plan)."""

    list_display = ("number", "organization", "variable_symbol", "due_on", "status")
    list_filter = ("status",)
