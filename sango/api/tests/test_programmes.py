"""/api/programmes/: the loaded programmes and the version in force on a day; public."""

from sango.api.tests.helpers import assert_not_found, fields_of
from sango.core.tests import factories as f

URL = "/api/programmes/"


def test_anyone_lists_the_programmes(api) -> None:
    response = api(None).get(URL)
    assert response.status_code == 200
    by_code = {p["code"]: p for p in response.json()}
    assert set(by_code) == {f.SOJA, f.KUMAMOTO}
    assert by_code[f.SOJA]["name"] == "総社市" and by_code[f.SOJA]["prefecture"] == "岡山県"
    modes = [v["mode"] for v in by_code[f.KUMAMOTO]["versions"]]
    assert modes == ["pre_application", "usage_card"]


def test_the_version_in_force_on_a_day(api) -> None:
    response = api(None).get(f"{URL}{f.SOJA}/", {"on": "2025-04-01"})
    assert response.status_code == 200
    body = response.json()
    assert (body["effective_from"], body["effective_until"], body["mode"]) == (
        "2025-04-01",
        None,
        "pre_application",
    )
    assert {c["code"]: c["limit"] for c in body["caps"]} == {"stay": 7, "day": 7, "visit": 7}
    assert [t["code"] for t in body["tiers"]] == ["welfare", "tax_exempt", "taxable"]
    assert [s["code"] for s in body["services"]] == ["stay", "day", "visit"]
    assert body["postpartum_window"] == "産後1年以内"
    older = api(None).get(f"{URL}{f.SOJA}/", {"on": "2020-01-01"}).json()
    assert {c["code"]: c["limit"] for c in older["caps"]}["stay"] == 5


def test_sub_types_are_described(api) -> None:
    body = api(None).get(f"{URL}{f.KUMAMOTO}/", {"on": "2024-05-01"}).json()
    day = next(s for s in body["services"] if s["code"] == "day")
    assert [s["code"] for s in day["subtypes"]] == ["day_5h", "day_3h", "day_2h"]


def test_bad_days_and_unknown_codes(api) -> None:
    assert fields_of(api(None).get(f"{URL}{f.SOJA}/", {"on": "yesterday"})) == {"on": "invalid"}
    assert fields_of(api(None).get(f"{URL}{f.SOJA}/", {"on": "2019-03-31"})) == {"on": "no_rules"}
    assert_not_found(api(None).get(f"{URL}999999/"))
    assert_not_found(api(None).get(f"{URL}soja/"))
