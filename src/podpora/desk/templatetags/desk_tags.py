from django import template

from podpora.accounts import access
from podpora.desk import notifications

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> str:
    """The header's count of the staff member's unread notifications (one query)."""
    user = context.get("user")
    if user is None or not user.is_authenticated or not access.is_staff(user):
        return ""
    return notifications.unread_count(user)
