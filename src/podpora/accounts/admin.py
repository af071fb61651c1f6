from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, Team, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
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
