"""Banks and branches by their 全銀協 codes, from the ``zengin-code`` package (its data is
updated with each release; the version says the day). The package loads every bank and branch
when first imported — about a tenth of a second — so it is imported on the first lookup, not
when Django starts."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

import jaconv

# 0001–0999 are banks and 9900 is ゆうちょ銀行; the data names them without the word 銀行
# (みずほ, 中国), which people expect to read. 信金, 信組, 農協 … carry their kind already.
_BANK_WORD = "銀行"
_JAPAN_POST = "9900"


@dataclass(frozen=True)
class BankEntry:
    code: str  # 4 digits
    name: str  # as people read it: みずほ銀行
    kana: str  # the data's full-width kana: ミズホ


@dataclass(frozen=True)
class BranchEntry:
    code: str  # 3 digits
    name: str  # 東京営業部
    kana: str


@cache
def _banks() -> dict[str, Any]:
    from zengin_code import Bank

    return Bank.all


def _bank_entry(bank: Any) -> BankEntry:
    name = bank.name
    if bank.code < "1000" or bank.code == _JAPAN_POST:
        name += _BANK_WORD
    return BankEntry(code=bank.code, name=name, kana=bank.kana)


def bank_named(code: str) -> BankEntry | None:
    """The bank of a 4-digit code, or None."""
    bank = _banks().get(code)
    return _bank_entry(bank) if bank is not None else None


def branch_named(bank_code: str, branch_code: str) -> BranchEntry | None:
    """The branch of a bank by its 3-digit code, or None (also when the bank is unknown)."""
    bank = _banks().get(bank_code)
    branch = bank.branches.get(branch_code) if bank is not None else None
    if branch is None:
        return None
    return BranchEntry(code=branch.code, name=branch.name, kana=branch.kana)


_LARGE = str.maketrans("ぁぃぅぇぉっゃゅょゎ", "あいうえおつやゆよわ")


def _folded(text: str) -> str:
    """For matching a name typed any way: NFKC (ＵＦＪ → UFJ), lower case, no 銀行."""
    return unicodedata.normalize("NFKC", text).lower().replace(_BANK_WORD, "").strip()


def _reading(text: str) -> str:
    """Typed kana as the data spells readings: hiragana, small kana large (ちゅう → ちゆう)."""
    return jaconv.kata2hira(text).translate(_LARGE)


def banks_search(text: str, *, limit: int = 10) -> list[BankEntry]:
    """Banks whose name or reading contains ``text`` (みずほ, ミズホ, mizuho, ちゅうごく),
    names that start with it first; at most ``limit``."""
    wanted = _folded(text)
    if not wanted:
        return []
    reading = _reading(wanted)
    found = []
    for bank in _banks().values():
        names = (_folded(bank.name), bank.hira, bank.roma)
        if any(wanted in n or reading in n for n in names):
            starts = any(n.startswith(wanted) or n.startswith(reading) for n in names)
            found.append((not starts, bank.code, bank))
    found.sort(key=lambda row: row[:2])
    return [_bank_entry(bank) for _starts, _code, bank in found[:limit]]


def branches_search(bank_code: str, text: str, *, limit: int = 10) -> list[BranchEntry]:
    """Branches of one bank whose name or reading contains ``text``; at most ``limit``."""
    bank = _banks().get(bank_code)
    wanted = _folded(text)
    if bank is None or not wanted:
        return []
    reading = _reading(wanted)
    found = []
    for branch in bank.branches.values():
        names = (_folded(branch.name), branch.hira, branch.roma)
        if any(wanted in n or reading in n for n in names):
            found.append(BranchEntry(code=branch.code, name=branch.name, kana=branch.kana))
            if len(found) == limit:
                break
    return found
