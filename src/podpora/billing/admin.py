from django.contrib import admin

from .models import Subscription, TimeEntry


@admin.register(TimeEntry)
class TimeEntryAdmin(admin.ModelAdmin):
    list_display = ("ticket", "user", "minutes", "mode", "rate", "worked_on")


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("organization", "service", "year", "quantity", "price", "free_reason")
    list_filter = ("year", "service")
