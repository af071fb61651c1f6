"""The seed vendors of the demo, loaded for today (calls are registered now)."""

from tests.billing.conftest import _clean_cache, seed  # noqa: F401
