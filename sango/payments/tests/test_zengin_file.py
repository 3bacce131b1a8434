"""The 全銀協 総合振込 file of a locked batch, read back record by record and field by field
by the byte positions the format gives (``sango.payments.zengin_file``'s docstring)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sango.core.errors import InvalidState
from sango.core.tests import factories as f
from sango.payments.exports import transfer_file_of
from sango.payments.services import batch_build, batch_lock
from sango.payments.tests import factories as pf
from sango.payments.zengin_file import (
    NewCode,
    Originator,
    Transfer,
    ZenginFileError,
    data,
    name_field,
    transfer_file,
)


def fields(record: bytes, layout: list[tuple[str, int]]) -> dict[str, str]:
    """The record cut at the layout's widths (bytes), each field decoded from cp932."""
    assert sum(width for _name, width in layout) == 120
    out, at = {}, 0
    for name, width in layout:
        out[name] = record[at : at + width].decode("cp932")
        at += width
    return out


HEADER = [
    ("data_kind", 1), ("type", 2), ("code_kind", 1), ("originator_code", 10),
    ("originator_name", 40), ("date", 4), ("bank_code", 4), ("bank_name", 15),
    ("branch_code", 3), ("branch_name", 15), ("kind", 1), ("number", 7), ("dummy", 17),
]  # fmt: skip
DATA = [
    ("data_kind", 1), ("bank_code", 4), ("bank_name", 15), ("branch_code", 3),
    ("branch_name", 15), ("clearing", 4), ("kind", 1), ("number", 7), ("holder", 30),
    ("amount", 10), ("new_code", 1), ("customer1", 10), ("customer2", 10),
    ("transfer_kind", 1), ("edi_mark", 1), ("dummy", 7),
]  # fmt: skip
TRAILER = [("data_kind", 1), ("count", 6), ("total", 12), ("dummy", 101)]
END = [("data_kind", 1), ("dummy", 119)]


@pytest.fixture
def locked_batch(db):
    f.load_programmes()
    clerk, boss = f.clerk(), f.approver()
    pf.originator(actor=clerk)
    pf.account(actor=clerk, facility=f.facility("kaneko-josanin"))
    claim = pf.approved_claim(amount=1234567)
    reimbursement = pf.approved_reimbursement(clerk=clerk, boss=boss, amount=21000)
    pay_date = timezone.localdate() + timedelta(days=2)
    batch = batch_build(actor=clerk, pay_date=pay_date)
    assert batch.lines.count() == 2
    return batch_lock(actor=boss, batch=batch, count=2, total=1255567), claim, reimbursement


def test_the_file_reads_back_record_by_record_and_field_by_field(locked_batch):
    batch, _claim, _reimbursement = locked_batch
    body = transfer_file_of(batch)
    assert body.endswith(b"\r\n")
    records = body.split(b"\r\n")[:-1]
    assert [len(record) for record in records] == [120] * 5
    assert len(body) == 5 * 122

    header = fields(records[0], HEADER)
    assert header == {
        "data_kind": "1",
        "type": "21",
        "code_kind": "0",
        "originator_code": "1234567890",
        "originator_name": "ｿｳｼﾞﾔｼ".ljust(40),
        "date": f"{batch.pay_date:%m%d}",
        "bank_code": "0168",
        "bank_name": "ﾁﾕｳｺﾞｸ".ljust(15),
        "branch_code": "191",
        "branch_name": "ｿｳｼﾞﾔ".ljust(15),
        "kind": "1",
        "number": "0012345",
        "dummy": " " * 17,
    }
    lines = list(batch.lines.order_by("pk"))
    first, second = (fields(record, DATA) for record in records[1:3])
    assert first == {
        "data_kind": "2",
        "bank_code": "0001",
        "bank_name": "ﾐｽﾞﾎ".ljust(15),
        "branch_code": "001",
        "branch_name": "ﾄｳｷﾖｳ".ljust(15),
        "clearing": "    ",
        "kind": "1",
        "number": "1234567",
        "holder": "ｶﾈｺ ｼﾞﾖｻﾝｲﾝ".ljust(30),
        "amount": "0001234567",
        "new_code": NewCode.FIRST,
        "customer1": f"{lines[0].pk:010d}",
        "customer2": " " * 10,
        "transfer_kind": "7",
        "edi_mark": " ",
        "dummy": " " * 7,
    }
    assert (second["number"], second["holder"], second["amount"]) == (
        "7654321",
        "ｿｳｼﾞﾔ ﾊﾅｺ".ljust(30),
        "0000021000",
    )
    assert second["customer1"] == f"{lines[1].pk:010d}"
    trailer = fields(records[3], TRAILER)
    assert (trailer["data_kind"], trailer["count"], trailer["total"]) == (
        "8",
        "000002",
        "000001255567",
    )
    assert int(trailer["total"]) == int(first["amount"]) + int(second["amount"])
    assert trailer["dummy"] == " " * 101
    assert fields(records[4], END) == {"data_kind": "9", "dummy": " " * 119}


def test_the_branch_kana_of_the_data_is_what_the_file_carries(locked_batch):
    """東京営業部 is トウキヨウ in the bank-code data (the kana of the branch name)."""
    from sango.banking.directory import branch_named

    assert name_field(branch_named("0001", "001").kana, 15) == "ﾄｳｷﾖｳ"


def test_a_draft_batch_has_no_file(db):
    f.load_programmes()
    clerk = f.clerk()
    pf.account(actor=clerk, facility=f.facility("kaneko-josanin"))
    pf.approved_claim()
    batch = batch_build(actor=clerk, pay_date=timezone.localdate())
    with pytest.raises(InvalidState, match="確定してから"):
        transfer_file_of(batch)


ORIGINATOR = Originator(
    code="1234567890",
    name="ｿｳｼﾞﾔｼ",
    bank_code="0168",
    bank_kana="チユウゴク",
    branch_code="191",
    branch_kana="ソウジヤ",
    kind="1",
    number="0012345",
)


def transfer(**changes) -> Transfer:
    values = {
        "bank_code": "0001",
        "bank_kana": "ミズホ",
        "branch_code": "001",
        "branch_kana": "トウキヨウ",
        "kind": "1",
        "number": "1234567",
        "holder": "ｿｳｼﾞﾔ ﾊﾅｺ",
        "amount": 1000,
        "new_code": "1",
        "customer_code": "1",
        **changes,
    }
    return Transfer(**values)


def test_an_empty_file_still_has_its_header_trailer_and_end():
    from datetime import date

    body = transfer_file(originator=ORIGINATOR, pay_date=date(2026, 5, 25), transfers=[])
    records = body.split(b"\r\n")[:-1]
    assert [record[:1] for record in records] == [b"1", b"8", b"9"]
    assert records[0][54:58] == b"0525"
    assert records[1][1:19] == b"0" * 18


@pytest.mark.parametrize(
    "changes",
    [
        {"amount": 10_000_000_000},
        {"amount": 0},
        {"bank_code": "12345"},
        {"number": "12345678"},
        {"holder": "山田"},
        {"holder": "ｱ" * 31},
    ],
)
def test_what_the_format_cannot_carry_is_refused(changes):
    with pytest.raises(ZenginFileError):
        data(transfer(**changes))


def test_a_long_bank_name_is_cut_to_its_field():
    record = data(transfer(bank_kana="ミツビシユ－エフジエイギンコウ", branch_kana="ホンテン"))
    assert record[5:20].decode("cp932") == "ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲｷﾞ"  # 15 bytes, the voiced mark one of them
