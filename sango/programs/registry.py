"""The programme registry the web site and commands share, loaded once per process."""

from __future__ import annotations

import logging
from functools import cache

from django.conf import settings

from sango.rules.loader import Registry, load_registry

logger = logging.getLogger(__name__)

_last: list[Registry] = []  # the registry loaded before, whose good revisions outlive a break


@cache
def get_registry() -> Registry:
    """Every programme document in ``settings.SANGO_PROGRAM_DIRS``, validated and compiled.

    A document that fails validation disables its municipality alone, loudly: an error is
    logged naming the file and its first problem, ``sango programmes`` and the system check
    list it, and the revision this process loaded before from that file, if any, keeps serving.
    Every other municipality is served as usual.
    """
    registry = load_registry(
        settings.SANGO_PROGRAM_DIRS, strict=False, previous=_last[0] if _last else None
    )
    for path, problems in registry.broken.items():
        kept = next((p for p in registry.programs.values() if p.path == path), None)
        logger.error(
            "Programme document %s is invalid (%d problem(s), first: %s: %s); %s",
            path,
            len(problems),
            problems[0].field,
            problems[0].message,
            f"the earlier revision of {kept.code} keeps serving"
            if kept
            else "its municipality is not served",
        )
    _last[:] = [registry]
    return registry
