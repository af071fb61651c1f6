from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .forms import StaffChangesAdmin
from .models import ApiToken, Team, User


@admin.register(User)
class UserAdmin(StaffChangesAdmin, BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Podpora"), {"fields": ("kind", "role", "vendor", "solver_level", "language")}),
    )
    list_display = ("username", "email", "first_name", "last_name", "kind", "role", "vendor")
    list_filter = ("kind", "role", "vendor", "is_active")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "vendor", "lead")
    filter_horizontal = ("members",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "label", "created_at", "last_used_at")
    readonly_fields = ("key_hash",)


def _translated_device_search_help() -> None:
    """django-otp writes its search help in English once, with the field names in the language
    of the moment the module was imported; ours follows the reader."""
    from django_otp.plugins.otp_totp import admin as totp_admin  # registers the device admin
    from django_otp.plugins.otp_totp.models import TOTPDevice

    del totp_admin
    device_admin = admin.site._registry.get(TOTPDevice)
    if device_admin is not None:
        device_admin.search_help_text = _("Hledejte podle uživatelského jména nebo e-mailu.")


_translated_device_search_help()
