"""A fixed-window attempt counter in Django's cache, shared by the public forms and log-in."""

from django.core.cache import cache


def count(key: str, window: int) -> int:
    """Count an attempt within the window (which starts at the first); the count so far."""
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def hit(key: str, limit: int, window: int) -> bool:
    """Count an attempt; True when this attempt goes over the limit."""
    return count(key, window) > limit


def reached(key: str, limit: int) -> bool:
    """Have ``limit`` attempts been counted already (without counting one more)?"""
    return cache.get(key, 0) >= limit
