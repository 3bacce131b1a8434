"""One Japanese message per mistake in a document, naming the field and what was expected.

Each broken document below is the invented ふたば町 with one mistake written in YAML, as a
newcomer would write it; the test asserts the exact problems (field path, message). Before
these messages, a mistake in a field of several shapes gave three to seven English lines naming
pydantic's internals (``constrained-int``, ``list[Step]``), and "15000" was read as 15000.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sango.rules.errors import ProgramError
from sango.rules.loader import program_from_data

FUTABA = (Path(__file__).parent / "programs" / "159093-futaba.yaml").read_text(encoding="utf-8")
INT = '整数で書いてください（"15000" や 15000.0 ではなく 15000）'
LAYER = "versions.0.money.funding.0"
ADDITION = '          per_additional_infant:\n            welfare: 0\n            "*": {stay: 1800'


def _problems(old: str, new: str) -> list[tuple[str, str]]:
    assert FUTABA.count(old) == 1, old
    document = yaml.safe_load(FUTABA.replace(old, new))
    with pytest.raises(ProgramError) as caught:
        program_from_data(document, "futaba.yaml")
    return [(p.field, p.message) for p in caught.value.problems]


BROKEN = [
    pytest.param(
        "taxable: {stay: 3000,",
        'taxable: {stay: "15000",',
        [(f"{LAYER}.amounts.taxable.stay", f"{INT}（書かれていた値: '15000'）")],
        id="money as a string",
    ),
    pytest.param(
        "taxable: {stay: 3000,",
        "taxable: {stay: 15000.0,",
        [(f"{LAYER}.amounts.taxable.stay", f"{INT}（書かれていた値: 15000.0）")],
        id="money as a decimal",
    ),
    pytest.param(
        "taxable: {stay: 3000,",
        "taxable: {stay: -1,",
        [(f"{LAYER}.amounts.taxable.stay", "0 以上にしてください（書かれていた値: -1）")],
        id="negative money",
    ),
    pytest.param(
        "taxable: {stay: 3000,",
        "taxable: {stay: [{from: 1, amout: 3000}],",
        [
            (
                f"{LAYER}.amounts.taxable.stay.0.amout",
                "この項目は書式にありません。必須の amount の書き間違いではありませんか",
            )
        ],
        id="misspelt key in a step",
    ),
    pytest.param(
        "taxable: {stay: 3000,",
        "taxable: {stay: [{from: 1, amount: '3000'}],",
        [(f"{LAYER}.amounts.taxable.stay.0.amount", f"{INT}（書かれていた値: '3000'）")],
        id="string in a step",
    ),
    pytest.param(
        "            welfare: 0\n            tax_exempt: {stay: 1500",
        "            welfare: free\n            tax_exempt: {stay: 1500",
        [
            (
                f"{LAYER}.amounts.welfare",
                "0以上の整数（円）か、回数ごとの額の並び（- {from: 1, to: 2, amount: 3000}）か、"
                "区分またはサービスごとの表（stay: 3000 のように）で書いてください"
                "（書かれていた値: 'free'）",
            )
        ],
        id="row of neither shape",
    ),
    pytest.param(
        ADDITION,
        '          per_additional_infant: fees\n          x:\n            "*": {stay: 1800',
        [
            (
                f"{LAYER}.per_additional_infant",
                "区分またはサービスごとの表（stay: 3000 のように）か、'fee'で書いてください"
                "（書かれていた値: 'fees'）",
            ),
            (f"{LAYER}.x", "この項目は書式にありません（綴りを確かめてください）"),
        ],
        id="per_additional_infant neither table nor fee",
    ),
    pytest.param(
        'code: "159093"',
        'code: "159094"',
        [("municipality.code", "検査数字（6桁目）が違います: 15909 の検査数字は 3 です（159093）")],
        id="wrong check digit",
    ),
    pytest.param(
        "unit: night, limit: 7,",
        'unit: night, limit: "7",',
        [("versions.0.caps.0.limit", f"{INT}（書かれていた値: '7'）")],
        id="cap limit as a string",
    ),
    pytest.param(
        "stay: {fee: 30000,",
        "stay: {fee: 30000.0,",
        [("facilities.0.services.stay.fee", f"{INT}（書かれていた値: 30000.0）")],
        id="contract fee as a decimal",
    ),
    pytest.param(
        "        unit: visit\n",
        "        unit: visits\n",
        [
            (
                "versions.0.services.2.unit",
                "次のいずれかです: 'night', 'day', 'visit', 'session', 'hour', 'use'"
                "（書かれていた値: 'visits'）",
            )
        ],
        id="unknown unit",
    ),
    pytest.param(
        "  - effective_from: 2024-04-01",
        '  - effective_from: "2024-13-01"',
        [
            (
                "versions.0.effective_from",
                "日付は 2026-04-01 の形で書いてください（書かれていた値: '2024-13-01'）",
            )
        ],
        id="impossible date",
    ),
    pytest.param(
        "window: 生後4か月まで",
        "window: 生後4ケ月",
        [
            (
                "versions.0.services.0.window",
                "期間 '生後4ケ月' には、最後の日を含む（以内）か含まない（未満）かがありません。"
                "「3か月以内」「4か月未満」「生後4か月まで」（まで は 以内 と同じ）「1歳未満」"
                "「1歳の誕生日の前日まで」「28日以内」のように書いてください"
                "（か月 は ヶ月・ヵ月・カ月・ケ月・箇月 でも書けます）",
            )
        ],
        id="window without its end",
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), BROKEN)
def test_one_japanese_message_per_mistake(old: str, new: str, expected: list) -> None:
    assert _problems(old, new) == expected


def test_no_validator_internals_in_any_message() -> None:
    for param in BROKEN:
        old, new, _ = param.values
        for field, message in _problems(old, new):
            for internal in ("constrained-int", "list[Step]", "dict[", "Input should", "literal["):
                assert internal not in field and internal not in message
