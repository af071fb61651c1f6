"""Template side of tickets/history.py: ``{% history_line event %}``, ``|when``, ``|money``."""

from django import template

from podpora.tickets import history

register = template.Library()


@register.simple_tag(takes_context=True)
def history_line(context, event) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    staff = bool(user is not None and getattr(user, "is_vendor_staff", False))
    return history.describe(event, staff=staff)


@register.filter
def when(value) -> str:
    return history.when(value)


@register.filter
def amount(value) -> str:
    return history.amount(value)


@register.filter
def money(value) -> str:
    return history.money(value)


@register.simple_tag
def entitlement_reason(ticket) -> str:
    """The ticket's entitlement reason in the reader's language."""
    return history.ticket_reason(ticket)


@register.simple_tag
def reason(code, params=None, fallback="") -> str:
    """A stored reason code in the reader's language (``history.REASONS``)."""
    return history.reason_text(code, params, fallback) if code else "–"


@register.filter
def mail_kind(code) -> str:
    return history.mail_kind_label(code)


@register.filter
def impact(code) -> str:
    """ "vysoký", "střední", "nízký": impact agrees with "dopad"."""
    return history.impact_label(code)


@register.filter
def minutes(value) -> str:
    """A duration in minutes as words: "1 h 30 min", "2 hodiny"."""
    return history.minutes_text(value)
