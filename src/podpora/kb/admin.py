from django.contrib import admin

from .models import Article


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "vendor", "kind", "language", "audience", "published_at")
    list_filter = ("vendor", "kind", "language", "audience")
    search_fields = ("title",)
    prepopulated_fields = {"slug": ("title",)}
