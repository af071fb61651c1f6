"""Periodic jobs of the portal (registered with core.schedule on import)."""

from . import notices  # noqa: F401
