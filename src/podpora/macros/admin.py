from django.contrib import admin

from .models import Macro


@admin.register(Macro)
class MacroAdmin(admin.ModelAdmin):
    list_display = ("name", "vendor", "team", "set_state", "is_active", "updated_at")
    list_filter = ("vendor", "team", "is_active")
    search_fields = ("name", "body_cs")
