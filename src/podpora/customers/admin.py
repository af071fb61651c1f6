from django.contrib import admin

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
