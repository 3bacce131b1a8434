"""The letter settings are programme data: who issues the letters and how they are numbered,
carried by every version, with a plain default for a programme that says nothing."""

from __future__ import annotations

import pytest
import yaml

from sango.applications.models import Decision
from sango.letters.parts import document_number, letter_settings
from sango.programs.registry import get_registry
from sango.rules import schema as s
from sango.rules.errors import ProgramError
from sango.rules.loader import load_program, program_from_data
from sango.rules.program import default_program_dir, sample_program_dir


@pytest.mark.parametrize(
    ("code", "issuer", "prefix"), [("332089", "総社市長", "総こ"), ("431001", "熊本市長", None)]
)
def test_every_version_of_the_shipped_programmes_names_its_issuer(code, issuer, prefix) -> None:
    program = get_registry().get(code)
    for rules in program.versions:
        assert rules.process.letters == s.Letters(issuer=issuer, number_prefix=prefix)
        assert any(issuer in text for text in rules.assumptions)  # not in the leaflet


def test_the_number_is_printed_with_the_prefix_or_as_the_fiscal_year() -> None:
    decision = Decision(fiscal_year=2026, sequence=12)
    assert document_number(decision, s.Letters(issuer="総社市長", number_prefix="総こ")) == (
        "総こ第12号"
    )
    assert document_number(decision, s.Letters(issuer="熊本市長")) == "2026年度 第12号"


def test_a_programme_without_letter_settings_is_signed_by_its_head() -> None:
    program = load_program(sample_program_dir() / "229016-yurikago.yaml")
    settings = letter_settings(program.versions[0], program)
    assert settings == s.Letters(issuer="ゆりかご市長")
    assert settings.appeal_to is None  # the 教示 then names the issuer


def test_a_misspelt_letter_setting_is_an_error() -> None:
    path = default_program_dir() / "332089-soja.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["versions"][0]["process"]["letters"] = {"issuer": "総社市長", "prefix": "総こ"}
    with pytest.raises(ProgramError) as caught:
        program_from_data(raw, str(path))
    assert "versions.0.process.letters.prefix" in str(caught.value)
