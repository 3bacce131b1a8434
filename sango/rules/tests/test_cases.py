"""Case tables: one YAML file per programme in ``cases/``, readable by a non-programmer.

Each file names the programme (``program: "332089"``), optional ``defaults`` merged into every
request, and ``cases``: a ``name``, a ``request`` (the ``sango quote`` JSON) and ``expect``, the
result fields that must hold. ``reasons`` is the exact set of reason codes; ``notices`` lists codes
that must be among the notices; ``messages`` lists the exact Japanese sentences of the reasons;
``funding`` maps source → yen; ``error`` names the request field that must be refused as
unreadable.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
import yaml

from sango.rules.errors import RequestError
from sango.rules.evaluate import evaluate
from sango.rules.loader import load_registry
from sango.rules.program import default_program_dir, sample_program_dir
from sango.rules.request import request_from_dict

HERE = Path(__file__).parent
REGISTRY = load_registry([default_program_dir(), sample_program_dir(), HERE / "programs"])


def _plain(value):
    """YAML reads 2026-04-01 as a date; the request format takes ISO strings."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _cases():
    for path in sorted((HERE / "cases").glob("*.yaml")):
        table = yaml.safe_load(path.read_text(encoding="utf-8"))
        defaults = _plain(table.get("defaults", {}))
        for case in table["cases"]:
            request = {"municipality": table["program"], **defaults, **_plain(case["request"])}
            yield pytest.param(
                table["program"], request, case["expect"], id=f"{path.stem}:{case['name']}"
            )


@pytest.mark.parametrize(("code", "request_data", "expect"), list(_cases()))
def test_case(code: str, request_data: dict, expect: dict) -> None:
    program = REGISTRY.get(code)
    assert program is not None, f"no programme {code}"
    if "error" in expect:
        with pytest.raises(RequestError) as caught:
            evaluate(program, request_from_dict(request_data))
        assert caught.value.field == expect["error"]
        return
    result = evaluate(program, request_from_dict(request_data)).as_dict(program=program)
    for key, wanted in expect.items():
        if key == "reasons":
            assert sorted(r["code"] for r in result["reasons"]) == sorted(wanted), result["reasons"]
        elif key == "messages":
            assert [r["message"] for r in result["reasons"]] == wanted
        elif key == "notices":
            codes = {n["code"] for n in result["notices"]}
            assert set(wanted) <= codes, result["notices"]
        elif key == "funding":
            assert {f["source"]: f["amount"] for f in result["funding"]} == wanted
        elif key == "version":
            assert result["version"] == _plain(wanted)
        else:
            assert result[key] == wanted, (
                f"{key}: {result[key]!r} != {wanted!r} ({result['reasons']})"
            )
