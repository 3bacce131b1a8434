"""One claim's lines as CSV for Excel: Japanese headers, ISO dates, plain yen, the programme's
service names, and a name CP932 cannot carry written with 〓 rather than failing."""

from __future__ import annotations

import csv
import io

from sango.billing.services import claim_line_review
from sango.core.tests import factories as f
from sango.reports import files
from sango.reports.claim_lines import HEADERS, claim_lines


def rows(body: bytes, encoding: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode(encoding), newline="")))


def test_a_claims_lines_read_back_in_both_encodings(world) -> None:
    claim = world.soja.claims.may
    line = claim.lines.get(use=world.soja.uses.last)
    claim_line_review(line=line, actor=f.clerk(), accept=False, reason=4, note="契約と違う")
    table = claim_lines(claim)
    assert table.name == "claim_332089_2026-05" and table.title == "委託料請求明細_総社市_2026年5月"
    utf8 = rows(files.csv_utf8(table), "utf-8-sig")
    assert utf8[0] == HEADERS
    assert [r[4] for r in utf8[1:]] == ["2026-05-01", "2026-05-31"]
    first, last = utf8[1], utf8[2]
    assert first[:4] == ["2026年5月", "総社市", "かねこ助産院", "1"]
    assert first[6] == "髙橋 𠮷子" and first[7] == "短期入所（ショートステイ）型"
    assert first[8:12] == ["1", "泊", "28000", "17000"]  # the corrected use's fee
    assert last[12:] == ["返戻", "4 料金が契約と異なります", "契約と違う"]
    sjis = rows(files.csv_cp932(claim_lines(claim)), "cp932")
    assert sjis[0] == HEADERS and sjis[1][6] == "髙橋 〓子"


def test_kumamoto_sub_types_are_named_and_counted_in_their_units(world) -> None:
    table = claim_lines(world.kumamoto.claim)
    body = rows(files.csv_utf8(table), "utf-8-sig")[1:]
    assert [(r[7], r[9]) for r in body] == [("宿泊型", "泊"), ("日帰り型 3時間型", "回")]
    assert {r[12] for r in body} == {"未審査"}
