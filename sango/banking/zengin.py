"""The 全銀協 character set: what a 総合振込 transfer file can carry in its name fields (口座名義,
依頼人名, the banks' and branches' kana). Pure Python, no Django: the same rule checks a name
typed in a form and writes the transfer file.

The rule (全銀協 standard format, as banks publish it for 受取人名):

- half-width katakana ｱ–ﾝ, with the voiced marks ﾞ and ﾟ as characters of their own;
- no small kana: ｧ ｨ ｩ ｪ ｫ ｬ ｭ ｮ ｯ are written large (ｷﾕｳﾖ for キュウヨ), as banks register them;
- no ｦ: banks refuse it in names (it marks EDI data in some formats);
- no long vowel mark ｰ: banks write it as a hyphen (the bank-code data itself spells
  ミツビシユ－エフジエイ), so ー becomes ``-``;
- digits 0–9, capital letters A–Z (small letters are made capital), the space, and the four
  signs ( ) . - ; the other signs some banks accept (/ , ¥ 「 」) are refused, so a name is
  carried the same by every bank;
- the middle dot ・ is refused rather than guessed: the bank's own spelling decides whether it
  became a space or a period.
"""

from __future__ import annotations

import re
import unicodedata

import jaconv

# The half-width kana a name may carry: ｱ (U+FF71) … ﾝ (U+FF9D) and the voiced marks.
_KANA = {chr(code) for code in range(0xFF71, 0xFF9E)} | {"ﾞ", "ﾟ"}
ALLOWED = frozenset(_KANA | set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ ().-"))

_SMALL_TO_LARGE = str.maketrans("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ")
# Every dash and the long vowel mark are the hyphen the format carries.
_DASHES = str.maketrans({c: "-" for c in "ー‐‑–—―−ｰ－"})
_SPACES = re.compile(r"\s+")


class ZenginTextError(ValueError):
    """The text has characters the format cannot carry; ``characters`` lists them, in order."""

    def __init__(self, characters: list[str]) -> None:
        super().__init__("".join(characters))
        self.characters = characters


def zengin_text(text: str) -> str:
    """``text`` in the half-width characters of the transfer file: ハナコ, はなこ and ﾊﾅｺ all
    become ``ﾊﾅｺ``, ショウコ ``ｼﾖｳｺ``, ＳＡＴＯ ｈａｎａ ``SATO HANA``; runs of spaces (full-width
    too) become one. Raises ``ZenginTextError`` with every character it cannot carry (漢字,
    emoji, ヲ, ・ …)."""
    # NFKC first: full-width letters, digits and signs become ASCII, and half-width kana
    # become full-width with their voiced marks joined (ｶﾞ → ガ), so one path handles all.
    text = unicodedata.normalize("NFKC", text)
    text = jaconv.hira2kata(text).translate(_SMALL_TO_LARGE).translate(_DASHES).upper()
    text = _SPACES.sub(" ", text).strip()
    # Judged character by character before the half-width step, so that a refusal names
    # what she typed (ヲ, ・) rather than its half-width form.
    bad = [c for c in dict.fromkeys(text) if not set(_half(c)) <= ALLOWED]
    if bad:
        raise ZenginTextError(bad)
    return _half(text)


def _half(text: str) -> str:
    return jaconv.z2h(text, kana=True, ascii=False, digit=False)
