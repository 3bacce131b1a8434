"""A broken programme document is refused with every problem named: file, field, expectation."""

from pathlib import Path

import pytest
import yaml

from sango.rules.errors import ProgramError
from sango.rules.evaluate import evaluate
from sango.rules.loader import load_program, load_registry
from sango.rules.program import default_program_dir
from sango.rules.request import request_from_dict

SOJA = default_program_dir() / "332089-soja.yaml"


def _write(tmp_path: Path, document: dict) -> Path:
    path = tmp_path / "test.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def soja() -> dict:
    return yaml.safe_load(SOJA.read_text(encoding="utf-8"))


def _problems(path: Path) -> list[tuple[str, str]]:
    with pytest.raises(ProgramError) as caught:
        load_program(path)
    assert all(p.file == str(path) for p in caught.value.problems)
    return [(p.field, p.message) for p in caught.value.problems]


def test_shipped_documents_load() -> None:
    registry = load_registry([default_program_dir()])
    assert {p.code for p in registry} == {"332089", "431001"}


def test_misspelt_field_is_named(tmp_path: Path, soja: dict) -> None:
    soja["versions"][1]["caps"][0]["limt"] = 7
    problems = _problems(_write(tmp_path, soja))
    assert problems[0][0] == "versions.1.caps.0.limt"
    assert "綴り" in problems[0][1]


def test_check_digit_of_municipality_code(tmp_path: Path, soja: dict) -> None:
    soja["municipality"]["code"] = "332088"
    [(field, message)] = _problems(_write(tmp_path, soja))
    assert field == "municipality.code"
    assert "検査数字" in message


def test_every_problem_is_reported_at_once(tmp_path: Path, soja: dict) -> None:
    soja["versions"][1]["caps"][0]["services"] = ["stays"]
    soja["versions"][1]["money"]["funding"][0]["amounts"]["rich"] = {"stay": 1}
    soja["facilities"][0]["services"] = {"massage": None}
    problems = dict(_problems(_write(tmp_path, soja)))
    assert "stays" in problems["versions.1.caps.0"]
    assert "rich" in problems["versions.1.money.funding.0.amounts"]
    assert "massage" in problems["facilities.0.services"]


def test_first_version_must_be_complete(tmp_path: Path, soja: dict) -> None:
    del soja["versions"][0]["money"]
    fields = [field for field, _ in _problems(_write(tmp_path, soja))]
    assert fields == ["versions.0.money"]


def test_versions_in_date_order(tmp_path: Path, soja: dict) -> None:
    soja["versions"].reverse()
    fields = [field for field, _ in _problems(_write(tmp_path, soja))]
    assert "versions" in fields


def test_reference_to_unknown_source(tmp_path: Path, soja: dict) -> None:
    soja["versions"][1]["ref"] = "pamphlet"
    [(field, message)] = _problems(_write(tmp_path, soja))
    assert field == "versions.1.ref"
    assert "pamphlet" in message


def test_window_shorthand_is_checked(tmp_path: Path, soja: dict) -> None:
    soja["facilities"][0]["services"]["stay"]["window"] = "3ヵ月くらい"
    [(field, message)] = _problems(_write(tmp_path, soja))
    assert field == "facilities.0.services.stay.window"
    assert "3か月以内" in message


def test_yaml_syntax_error_gives_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("format: sango-program/1\nmunicipality: [\n", encoding="utf-8")
    [(field, message)] = _problems(path)
    assert field.endswith("行目")
    assert "YAML" in message


def test_duplicate_municipality_across_files(tmp_path: Path, soja: dict) -> None:
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(yaml.safe_dump(soja, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ProgramError) as caught:
        load_registry([tmp_path])
    assert caught.value.problems[0].field == "municipality.code"


def test_base_fee_codes_are_checked(tmp_path: Path) -> None:
    sukoyaka = Path(__file__).parent / "programs" / "399035-sukoyaka.yaml"
    document = yaml.safe_load(sukoyaka.read_text(encoding="utf-8"))
    document["versions"][0]["money"]["base_additional_infant_fees"]["stya"] = 5000
    problems = dict(_problems(_write(tmp_path, document)))
    assert "stya" in problems["versions.0.money.base_additional_infant_fees"]


def test_a_fixed_copay_may_rise_by_the_additional_infants_fee(tmp_path: Path) -> None:
    """``per_additional_infant: fee`` on a ``copay`` layer: the mother pays each additional
    infant's fee in full on top of her fixed copay (it used to be refused as meaningless)."""
    futaba = Path(__file__).parent / "programs" / "159093-futaba.yaml"
    document = yaml.safe_load(futaba.read_text(encoding="utf-8"))
    layer = document["versions"][0]["money"]["funding"][0]
    layer["per_additional_infant"] = "fee"
    del layer["copay_ceiling"]
    program = load_program(_write(tmp_path, document))
    request = request_from_dict(
        {
            "municipality": "159093",
            "service": "stay",
            "date": "2026-06-01",
            "quantity": 2,
            "infants": 2,
            "tier": "taxable",
            "birth_date": "2026-04-10",
            "facility": "futaba-sample-clinic",
        }
    )
    result = evaluate(program, request)
    # (30,000 + 5,000) × 2 = 70,000; copay 3,000 × 2 + the twin's 5,000 × 2 = 16,000.
    assert (result.copay, result.subsidy) == (16000, 54000)
