from tests.billing.conftest import _clean_cache, seed  # noqa: F401 (fixtures)
