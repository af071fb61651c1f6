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


#: seconds an attempt waits for each attempt over a per-address limit, and at most
DELAY_STEP, DELAY_MAX = 0.5, 5.0


def _sleep(seconds: float) -> None:  # one place, so tests can see the delay without waiting
    import time

    time.sleep(seconds)


def slow_down(key: str, limit: int) -> float:
    """Once ``limit`` attempts are counted under ``key``, wait before this one goes on (longer
    the further over, up to DELAY_MAX) instead of refusing it. For limits per client address:
    behind one address there may be many people (a company's NAT, a proxy), whose right
    answers must still pass, while someone trying thousands of guesses from it gets only a
    few per connection and minute. Counts nothing itself; returns the delay."""
    over = cache.get(key, 0) - limit
    if over < 0:
        return 0.0
    delay = min(DELAY_MAX, DELAY_STEP * (over + 1))
    _sleep(delay)
    return delay
