from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import cards
from .models import Contact, Contract, Licence, Organization, Plan, PrepaidPackage, Vendor


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ("first_name", "last_name", "email", "phone", "role", "language", "is_active")


class ContractInline(admin.TabularInline):
    model = Contract
    extra = 0


@admin.register(Vendor)
class VendorAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "ticket_prefix", "support_email")


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "ico", "vendor", "stage")
    list_filter = ("vendor", "stage")
    search_fields = ("name", "ico")
    inlines = [ContactInline, ContractInline]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("last_name", "first_name", "email", "organization", "role", "is_active")
    search_fields = ("last_name", "email")
    list_filter = ("role",)


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


def licence_cards_page(request, issued):
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


@admin.register(PrepaidPackage)
class PrepaidPackageAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "minutes", "valid_from", "valid_to")
