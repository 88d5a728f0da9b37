import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _clear_cache():
    """Cached anonymous fragments must not leak from one test into the next: tests/conftest.py
    empties the shared cache and this process's copies before each test; the copies again
    after it (the shared cache is a table of the test database, rolled back with it)."""
    yield
    caches["local"].clear()
