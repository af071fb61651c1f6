"""A fixed-window attempt counter in Django's cache, shared by the public forms."""

from django.core.cache import cache


def hit(key: str, limit: int, window: int) -> bool:
    """Count an attempt; True when this attempt goes over the limit."""
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count > limit
