"""Loading programme documents into the database: updates in place, history kept, nothing lost."""

from pathlib import Path

import pytest
import yaml

from sango.facilities.models import Contract, Facility
from sango.municipalities.models import Municipality, Office, ProgramRevision
from sango.municipalities.services import program_sync, programmes_sync
from sango.programs.registry import get_registry
from sango.rules.loader import load_program
from sango.rules.program import default_program_dir

pytestmark = pytest.mark.django_db
SOJA_FILE = default_program_dir() / "332089-soja.yaml"


def test_both_seeds_load_with_offices_facilities_and_contracts() -> None:
    programmes_sync(registry=get_registry())
    soja, kumamoto = (
        Municipality.objects.get(code="332089"),
        Municipality.objects.get(code="431001"),
    )
    assert soja.name == "総社市" and kumamoto.prefecture == "熊本県"
    assert Contract.objects.filter(municipality=soja).count() == 26
    assert Office.objects.filter(municipality=kumamoto).count() == 5
    central = Contract.objects.get(facility__slug="kurashiki-central-hospital")
    assert central.own_patients_only and central.services == ["stay"]
    assert Contract.objects.get(facility__slug="kunitomi-clinic").contact_municipality_first


def test_loading_again_changes_nothing() -> None:
    programmes_sync(registry=get_registry())
    programmes_sync(registry=get_registry())
    assert ProgramRevision.objects.count() == 2
    assert Facility.objects.count() == 29


def test_a_changed_document_updates_in_place_and_keeps_history(tmp_path: Path) -> None:
    program_sync(program=load_program(SOJA_FILE))
    first = Facility.objects.get(slug="ogawa-josanin")
    document = yaml.safe_load(SOJA_FILE.read_text(encoding="utf-8"))
    document["facilities"] = [f for f in document["facilities"] if f["id"] != "ogawa-josanin"]
    document["facilities"][0]["phone"] = "0866-00-0000"
    document["offices"][0]["phone"] = "(0866) 00-0000"
    changed = tmp_path / "332089-soja.yaml"
    changed.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")

    program_sync(program=load_program(changed))

    assert ProgramRevision.objects.filter(municipality__code="332089").count() == 2
    assert Facility.objects.get(slug="kunitomi-clinic").phone == "0866-00-0000"
    assert Office.objects.get(code="kodomo").phone == "(0866) 00-0000"
    dropped = Contract.objects.get(facility=first)  # kept for the history of its uses
    assert not dropped.listed
    assert Contract.objects.filter(municipality__code="332089", listed=True).count() == 25


def test_one_facility_contracts_with_two_municipalities(tmp_path: Path) -> None:
    """A 倉敷市 midwife home can serve 総社市 and a neighbouring town under different terms."""
    program_sync(program=load_program(SOJA_FILE))
    town = yaml.safe_load(SOJA_FILE.read_text(encoding="utf-8"))
    town["municipality"] = {"code": "332097", "name": "テスト町", "prefecture": "岡山県"}
    kaneko = next(f for f in town["facilities"] if f["id"] == "kaneko-josanin")
    kaneko["services"] = {"visit": None}
    town["facilities"] = [kaneko]
    path = tmp_path / "332097-test.yaml"
    path.write_text(yaml.safe_dump(town, allow_unicode=True), encoding="utf-8")

    program_sync(program=load_program(path))

    contracts = Contract.objects.filter(facility__slug="kaneko-josanin").order_by("municipality")
    assert [(c.municipality.code, c.services) for c in contracts] == [
        ("332089", ["day", "stay", "visit"]),
        ("332097", ["visit"]),
    ]
    assert Facility.objects.filter(slug="kaneko-josanin").count() == 1
