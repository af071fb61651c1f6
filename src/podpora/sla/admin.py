from django.contrib import admin

from .models import BusinessCalendar, SlaPolicy, SlaTarget


class SlaTargetInline(admin.TabularInline):
    model = SlaTarget
    extra = 0


def _recompute_after_commit(calendar_id: int) -> None:
    from django.db import transaction

    from .tasks import recompute_calendar

    transaction.on_commit(lambda: recompute_calendar.enqueue(calendar_id))


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    """Saving a calendar recomputes the due instants of its open tickets in the background."""

    list_display = ("name", "vendor", "timezone")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            _recompute_after_commit(obj.pk)


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = ("name", "vendor", "calendar", "warn_percent")
    inlines = [SlaTargetInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change:
            _recompute_after_commit(form.instance.calendar_id)
