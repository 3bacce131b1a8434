"""A system check, so that ``sango check`` and every server start report a broken document.

A warning, not an error: a broken document disables its municipality alone (see
``get_registry``), and commands such as ``sango programmes`` must still run to show it.
"""

from __future__ import annotations

from django.core.checks import Warning, register

from sango.programs.registry import get_registry


@register()
def programme_documents_are_valid(app_configs, **kwargs) -> list[Warning]:
    registry = get_registry()
    return [
        Warning(
            f"{path}: {problems[0].field}: {problems[0].message}",
            hint=f"問題は全部で{len(problems)}件です（sango check-programme {path}）。"
            "この文書の市町村は、前に読み込んだ版がなければ利用できません。",
            id="sango.W001",
        )
        for path, problems in registry.broken.items()
    ]
