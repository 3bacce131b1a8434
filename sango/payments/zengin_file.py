"""The 全銀協 総合振込 transfer file of one payment batch. Pure Python, no Django: the batch's
stored rows come in as ``Originator`` and ``Transfer`` values, the file's bytes go out.

The file is the 全銀協 standard format for 総合振込 as banks publish it for their
data-transmission services: fixed-length records of 120 bytes, each ended by CR LF, in
Shift_JIS (cp932, the code the header's コード区分 "0" names). Text fields are half-width
(one byte each) in the 全銀 character set of ``sango.banking.zengin``, left-aligned and padded
with spaces; number fields are right-aligned and padded with zeros.

Header record (ヘッダー・レコード), one, first:

====  ======  =====================================  ========================================
pos   bytes   field                                  here
====  ======  =====================================  ========================================
1     1       データ区分                             ``1``
2     2       種別コード                             ``21`` (総合振込)
4     1       コード区分                             ``0`` (SJIS)
5     10      委託者コード (振込依頼人コード)        the code the bank gave the municipality
15    40      委託者名 (振込依頼人名)                half-width kana
55    4       取組日                                 MMDD, the payment date
59    4       仕向銀行番号                           the municipality's bank
63    15      仕向銀行名                             kana
78    3       仕向支店番号
81    15      仕向支店名                             kana
96    1       預金種目 (依頼人)                      1 普通, 2 当座, 4 貯蓄
97    7       口座番号 (依頼人)
104   17      ダミー                                 spaces
====  ======  =====================================  ========================================

Data record (データ・レコード), one per transfer:

====  ======  =====================================  ========================================
1     1       データ区分                             ``2``
2     4       被仕向銀行番号
6     15      被仕向銀行名                           kana
21    3       被仕向支店番号
24    15      被仕向支店名                           kana
39    4       手形交換所番号                         spaces (not used for transfers)
43    1       預金種目
44    7       口座番号
51    30      受取人名                               kana, as registered at the bank
81    10      振込金額                               yen
91    1       新規コード                             1 first transfer to the account,
                                                     2 the payee's account changed, 0 other
92    10      顧客コード1                            the payment line's number
102   10      顧客コード2                            spaces
112   1       振込指定区分                           ``7`` (テレ振込)
113   1       識別表示                               space (顧客コード, not EDI情報, at 92–111)
114   7       ダミー                                 spaces
====  ======  =====================================  ========================================

Trailer record (トレーラ・レコード): pos 1 ``8``; 2–7 合計件数 (6); 8–19 合計金額 (12, yen);
20–120 spaces. End record (エンド・レコード): pos 1 ``9``; 2–120 spaces.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sango.banking.zengin import ALLOWED, ZenginTextError, zengin_text

RECORD_BYTES = 120
LINE_END = b"\r\n"
ENCODING = "cp932"
KIND_TRANSFER = "21"  # 種別コード: 総合振込
CODE_SJIS = "0"  # コード区分: JIS/SJIS
TELE_TRANSFER = "7"  # 振込指定区分: テレ振込
MAX_AMOUNT = 9_999_999_999  # 振込金額: 10 digits
MAX_COUNT = 999_999  # 合計件数: 6 digits
MAX_TOTAL = 999_999_999_999  # 合計金額: 12 digits


class NewCode:
    """新規コード of a data record."""

    FIRST = "1"  # 第1回振込分
    CHANGED = "2"  # 変更分 (bank, branch, kind or number changed)
    OTHER = "0"


@dataclass(frozen=True)
class Originator:
    """The municipality as 振込依頼人 (委託者): its code at the bank and its own account."""

    code: str  # 委託者コード, 10 digits
    name: str  # 委託者名, half-width kana
    bank_code: str
    bank_kana: str  # any kana; made half-width here
    branch_code: str
    branch_kana: str
    kind: str  # 預金種目: 1, 2 or 4
    number: str  # 7 digits


@dataclass(frozen=True)
class Transfer:
    """One data record: the payee's account and the amount (yen)."""

    bank_code: str
    bank_kana: str
    branch_code: str
    branch_kana: str
    kind: str
    number: str
    holder: str  # 受取人名, half-width kana (already checked when the account was entered)
    amount: int
    new_code: str  # NewCode
    customer_code: str  # up to 10 digits


class ZenginFileError(ValueError):
    """A value the format cannot carry (a code of the wrong length, an amount of 11 digits)."""


@lru_cache(maxsize=8192)  # a file names the same few banks and branches over and over
def name_field(text: str, width: int) -> str:
    """A bank's, branch's or person's name for a ``width``-byte field: made 全銀 half-width
    kana and cut to ``width``. A bank's data name that has a character the set lacks (rare) has
    it dropped rather than the file refused: banks route by the codes, the names are read by
    people."""
    try:
        text = zengin_text(text)
    except ZenginTextError as error:
        text = zengin_text("".join(c for c in text if c not in error.characters))
    return text[:width]


def _number(value: int | str, width: int, what: str) -> str:
    text = str(value)
    if not text.isascii() or not text.isdigit() or len(text) > width:
        raise ZenginFileError(f"{what}: {width}けたの数字にできません。")
    return text.zfill(width)


def _text(value: str, width: int, what: str) -> str:
    if len(value) > width or not set(value) <= ALLOWED:
        raise ZenginFileError(f"{what}: 全銀の文字で{width}けたに収まりません。")
    return value.ljust(width)


def _record(fields: Iterable[str]) -> bytes:
    data = "".join(fields).encode(ENCODING)
    if len(data) != RECORD_BYTES:  # every field is one byte a character: a bug, not input
        raise ZenginFileError(f"レコード長が{len(data)}バイトです。")
    return data + LINE_END


def header(originator: Originator, pay_date: date) -> bytes:
    return _record(
        [
            "1",
            KIND_TRANSFER,
            CODE_SJIS,
            _number(originator.code, 10, "委託者コード"),
            _text(originator.name, 40, "委託者名"),
            f"{pay_date:%m%d}",
            _number(originator.bank_code, 4, "仕向銀行番号"),
            _text(name_field(originator.bank_kana, 15), 15, "仕向銀行名"),
            _number(originator.branch_code, 3, "仕向支店番号"),
            _text(name_field(originator.branch_kana, 15), 15, "仕向支店名"),
            _number(originator.kind, 1, "預金種目"),
            _number(originator.number, 7, "口座番号"),
            " " * 17,
        ]
    )


def data(transfer: Transfer) -> bytes:
    if not 0 < transfer.amount <= MAX_AMOUNT:
        raise ZenginFileError("振込金額: 1円から10けたまでです。")
    return _record(
        [
            "2",
            _number(transfer.bank_code, 4, "被仕向銀行番号"),
            _text(name_field(transfer.bank_kana, 15), 15, "被仕向銀行名"),
            _number(transfer.branch_code, 3, "被仕向支店番号"),
            _text(name_field(transfer.branch_kana, 15), 15, "被仕向支店名"),
            " " * 4,
            _number(transfer.kind, 1, "預金種目"),
            _number(transfer.number, 7, "口座番号"),
            _text(transfer.holder, 30, "受取人名"),
            _number(transfer.amount, 10, "振込金額"),
            _number(transfer.new_code, 1, "新規コード"),
            _number(transfer.customer_code, 10, "顧客コード1"),
            " " * 10,
            TELE_TRANSFER,
            " ",
            " " * 7,
        ]
    )


def trailer(count: int, total: int) -> bytes:
    if count > MAX_COUNT or total > MAX_TOTAL:
        raise ZenginFileError("合計件数または合計金額がけた数を超えます。")
    return _record(["8", _number(count, 6, "合計件数"), _number(total, 12, "合計金額"), " " * 101])


def end() -> bytes:
    return _record(["9", " " * 119])


def transfer_file(
    *, originator: Originator, pay_date: date, transfers: Iterable[Transfer]
) -> bytes:
    """The whole file: header, one data record per transfer (in the order given), trailer
    with their count and total (yen), end record."""
    parts = [header(originator, pay_date)]
    count = total = 0
    for transfer in transfers:
        parts.append(data(transfer))
        count += 1
        total += transfer.amount
    parts += [trailer(count, total), end()]
    return b"".join(parts)
