from django.contrib import admin

from .models import Post, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("title", "vendor", "posts", "last_post_at", "pinned", "locked", "hidden")
    list_filter = ("vendor", "pinned", "locked", "hidden")
    readonly_fields = ("author", "created_at", "last_post_at", "posts")
    exclude = ("search_text",)


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("topic", "author_label", "created_at", "hidden")
    list_filter = ("hidden",)
    readonly_fields = ("topic", "author", "author_label", "by_staff", "created_at", "body")
