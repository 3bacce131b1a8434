"""Every test starts with nothing kept, so that no test depends on what another kept."""

import pytest
from django.core.cache import cache

from sango.programs.cache import forget_in_process


@pytest.fixture(autouse=True)
def nothing_kept():
    cache.clear()
    forget_in_process()
    yield
    cache.clear()
    forget_in_process()
