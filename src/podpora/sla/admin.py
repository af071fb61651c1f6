from django.contrib import admin

from .models import BusinessCalendar, SlaPolicy, SlaTarget


class SlaTargetInline(admin.TabularInline):
    model = SlaTarget
    extra = 0


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    list_display = ("name", "vendor", "timezone")


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = ("name", "vendor", "calendar", "warn_percent")
    inlines = [SlaTargetInline]
