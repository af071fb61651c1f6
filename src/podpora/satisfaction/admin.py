from django.contrib import admin

from podpora.core.adminmixins import NoWrites

from .models import Rating


@admin.register(Rating)
class RatingAdmin(NoWrites, admin.ModelAdmin):
    """Ratings are the customers' words: shown here, changed only by the customer."""

    list_display = ("ticket", "score", "agent", "channel", "updated_at")
    list_filter = ("score", "channel", "ticket__vendor")
    list_select_related = ("ticket", "agent")
    search_fields = ("ticket__number", "comment")
