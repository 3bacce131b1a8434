"""The programme registry the web site and commands share, loaded once per process."""

from __future__ import annotations

from functools import cache

from django.conf import settings

from sango.rules.loader import Registry, load_registry


@cache
def get_registry() -> Registry:
    """Every programme document in ``settings.SANGO_PROGRAM_DIRS``, validated and compiled.

    Raises ``ProgramError`` listing every problem when a document is invalid.
    """
    return load_registry(settings.SANGO_PROGRAM_DIRS)
