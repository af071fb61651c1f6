from django.contrib import admin

from .models import Product, Release, Service, Version


class VersionInline(admin.TabularInline):
    model = Version
    extra = 0


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "vendor")
    inlines = [VersionInline]


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    list_display = ("version", "product", "official", "published_at")


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "vendor", "unit", "price", "vat_rate")
    list_filter = ("vendor",)
