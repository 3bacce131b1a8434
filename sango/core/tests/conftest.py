"""Fixtures of the core tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def sample_programmes(settings):
    """The shipped programmes and the sample ゆりかご市, as the dev settings serve them (the
    demo needs both)."""
    from sango.programs.registry import get_registry
    from sango.rules.program import default_program_dir, sample_program_dir

    settings.SANGO_PROGRAM_DIRS = [default_program_dir(), sample_program_dir()]
    get_registry.cache_clear()
    yield
    get_registry.cache_clear()
