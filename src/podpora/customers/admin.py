from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from podpora.accounts.models import User
from podpora.billing import packages
from podpora.core.adminmixins import NoWrites

from . import cards, people
from .models import (
    CHANNEL_CHOICES,
    ChannelInfo,
    Contact,
    Contract,
    ImplementedFunction,
    Licence,
    Organization,
    Plan,
    PrepaidPackage,
    PublicFormText,
    ScopeItem,
    Vendor,
)


class ReadOnlyAdmin(NoWrites, admin.ModelAdmin):
    """Shown, never written here: the rows change only through their services."""


class ContactInline(NoWrites, admin.TabularInline):
    """People change through the customer admin's page (customers/people.py), not here."""

    model = Contact
    extra = 0
    fields = ("first_name", "last_name", "email", "phone", "role", "language", "is_active")
    readonly_fields = fields


class ImplementedFunctionInline(admin.TabularInline):
    model = ImplementedFunction
    extra = 1
    fields = ("name", "active")


class ContractInline(admin.TabularInline):
    model = Contract
    extra = 0


class PublicFormTextInline(admin.StackedInline):
    model = PublicFormText
    extra = 1
    max_num = 1
    can_delete = False


@admin.register(Vendor)
class VendorAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "ticket_prefix", "support_email")
    inlines = [PublicFormTextInline]
    filter_horizontal = ("forum_moderators",)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "forum_moderators":
            kwargs["queryset"] = User.objects.filter(kind="staff", vendor__isnull=False)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "ico", "vendor", "stage")
    list_filter = ("vendor", "stage")
    search_fields = ("name", "ico")
    inlines = [ContactInline, ContractInline, ImplementedFunctionInline]


@admin.register(Contact)
class ContactAdmin(ReadOnlyAdmin):
    """Read-only: the customer admin manages their people in the portal; staff may
    (de)activate a person here, through the same service, with the portal account."""

    list_display = ("last_name", "first_name", "email", "organization", "role", "is_active")
    search_fields = ("last_name", "email")
    list_filter = ("role",)
    actions = ["deactivate", "activate"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Contact._meta.fields]

    @admin.action(description=_("Deaktivovat vybrané osoby (i jejich účty v portálu)"))
    def deactivate(self, request, queryset):
        for contact in queryset:
            people.set_active_by_staff(contact, False)

    @admin.action(description=_("Znovu aktivovat vybrané osoby"))
    def activate(self, request, queryset):
        for contact in queryset:
            people.set_active_by_staff(contact, True)


@admin.register(Licence)
class LicenceAdmin(admin.ModelAdmin):
    list_display = ("number", "organization", "product", "activated_on", "max_version_date")
    search_fields = ("number",)
    actions = ["issue_cards"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:  # a new licence gets its card: the code is shown once, on the card
            request._licence_cards = [(obj, cards.issue_card(obj))]

    def response_add(self, request, obj, post_url_continue=None):
        issued = getattr(request, "_licence_cards", None)
        if issued:
            return licence_cards_page(request, issued)
        return super().response_add(request, obj, post_url_continue)

    @admin.action(description=_("Vydat nové licenční kartičky (dosavadní kódy přestanou platit)"))
    def issue_cards(self, request, queryset):
        licences = queryset.select_related("organization", "product", "vendor").order_by("number")
        return licence_cards_page(request, [(lic, cards.issue_card(lic)) for lic in licences])


def licence_cards_page(request, issued, back: str = ""):
    """The printable cards: each licence's number and its one-time registration code."""
    from django.conf import settings
    from django.shortcuts import render
    from django.urls import reverse

    return render(
        request,
        "customers/licence_cards.html",
        {
            "cards": issued,
            "register_url": f"{settings.BASE_URL}{reverse('register')}",
            "title": _("Licenční kartičky"),
            "back_url": back,
        },
    )


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("name", "vendor", "kind", "billing_mode", "sla_policy")
    list_filter = ("vendor", "kind")


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ("organization", "plan", "valid_from", "valid_to")
    list_filter = ("plan__vendor", "plan")


class PackageForm(forms.ModelForm):
    class Meta:
        model = PrepaidPackage
        fields = (
            "organization",
            "name",
            "minutes",
            "valid_from",
            "valid_to",
            "low_balance_minutes",
        )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            packages.validate_package(_terms(data), self.instance if self.instance.pk else None)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        return data


def _terms(data) -> packages.PackageTerms:
    return packages.PackageTerms(
        name=data.get("name") or "",
        minutes=data.get("minutes"),
        valid_from=data.get("valid_from"),
        valid_to=data.get("valid_to"),
        low_balance_minutes=data.get("low_balance_minutes"),
    )


class PackageWrites:
    """Sold and changed through billing/packages.py; a package keeps the minutes drawn. Shared
    by the operator's admin and the vendor's administration."""

    form = PackageForm
    list_display = ("name", "organization", "minutes", "valid_from", "valid_to")

    def get_readonly_fields(self, request, obj=None):
        return ("organization",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        terms = _terms(form.cleaned_data)
        saved = (
            packages.change_package(obj, terms)
            if change
            else packages.add_package(form.cleaned_data["organization"], terms)
        )
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        # the entries drawn from it (and their invoices) point at it
        return False


@admin.register(PrepaidPackage)
class PrepaidPackageAdmin(PackageWrites, admin.ModelAdmin):
    pass


class ScopeItemForm(forms.ModelForm):
    channels = forms.MultipleChoiceField(
        label=_("kanály, kterých se to týká (prázdné = všechny)"),
        choices=CHANNEL_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ScopeItem
        fields = ("vendor", "code", "name", "name_sk", "name_en", "outcome", "channels", "order")


@admin.register(ScopeItem)
class ScopeItemAdmin(admin.ModelAdmin):
    form = ScopeItemForm
    list_display = ("name", "code", "vendor", "outcome", "order")
    list_filter = ("vendor", "outcome")


@admin.register(ChannelInfo)
class ChannelInfoAdmin(admin.ModelAdmin):
    list_display = ("vendor", "channel", "contact", "calendar", "always_open", "order")
    list_filter = ("vendor", "channel")
