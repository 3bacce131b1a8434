"""A system check, so that ``sango check`` and every server start report a broken document."""

from __future__ import annotations

from django.core.checks import Error, register

from sango.programs.registry import get_registry
from sango.rules.errors import ProgramError


@register()
def programme_documents_are_valid(app_configs, **kwargs) -> list[Error]:
    try:
        get_registry()
    except ProgramError as exc:
        return [Error(str(problem), id="sango.E001") for problem in exc.problems]
    return []
