"""Every test starts with nothing kept, in a local-memory cache of its own (never a Redis named
by ``SANGO_CACHE_URL``), so that no test depends on what another kept."""

import pytest
from django.core.cache import cache

from sango.programs.cache import forget_in_process

LOCAL = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(autouse=True)
def nothing_kept(settings):
    settings.CACHES = LOCAL
    cache.clear()
    forget_in_process()
    yield
    cache.clear()
    forget_in_process()
