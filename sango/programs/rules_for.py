"""The bridge between the database and the rules core: which programme and version apply."""

from __future__ import annotations

from datetime import date

from sango.core.errors import ServiceError
from sango.programs.registry import get_registry
from sango.rules.program import Program, RuleSet


def program_for(municipality_code: str) -> Program:
    program = get_registry().get(municipality_code)
    if program is None:
        raise ServiceError("この市町村の制度文書が読み込まれていません。", code="no_program")
    return program


def rules_on(municipality_code: str, day: date) -> RuleSet:
    """The version in force on ``day``; a clear error before the programme's first version."""
    rules = program_for(municipality_code).version_on(day)
    if rules is None:
        raise ServiceError(f"{day.isoformat()}に有効な制度がありません。", code="no_rules")
    return rules


def tier_name(municipality_code: str, tier: str) -> str:
    """A tier's name as the programme writes it (総社市: 上記以外の方), from its latest version
    that defines the code; the code itself when none does."""
    program = get_registry().get(municipality_code)
    for rules in reversed(program.versions if program else ()):
        for defined in rules.money.tiers:
            if defined.code == tier:
                return defined.name
    return tier
