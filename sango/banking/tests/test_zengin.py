"""The 全銀 character set: names as people type them become what a transfer file carries, and
what it cannot carry is refused, never dropped."""

import pytest

from sango.banking.zengin import ZenginTextError, zengin_text


@pytest.mark.parametrize(
    ("typed", "carried"),
    [
        ("ハナコ", "ﾊﾅｺ"),  # full-width katakana
        ("はなこ", "ﾊﾅｺ"),  # hiragana
        ("ﾊﾅｺ", "ﾊﾅｺ"),  # already half-width
        ("ソウジャ　ハナコ", "ｿｳｼﾞﾔ ﾊﾅｺ"),  # full-width space, small ャ made large, ジ → ｼﾞ
        ("キュウヨ ショウコ", "ｷﾕｳﾖ ｼﾖｳｺ"),  # small kana made large, as banks register them
        ("ﾊｯﾄﾘ", "ﾊﾂﾄﾘ"),  # half-width small ｯ too
        ("ヴィオラ", "ｳﾞｲｵﾗ"),
        ("パパ", "ﾊﾟﾊﾟ"),
        ("ｶﾞｰﾃﾞﾝ", "ｶﾞ-ﾃﾞﾝ"),  # the long vowel mark is carried as a hyphen
        ("ローラ", "ﾛ-ﾗ"),
        ("ＳＡＴＯ　ｈａｎａ", "SATO HANA"),  # full-width letters, made capital
        ("ｶ)ｻﾝｺﾞ", "ｶ)ｻﾝｺﾞ"),  # the brackets of 法人略語
        ("（カ）サンゴ", "(ｶ)ｻﾝｺﾞ"),
        ("  ヤマダ   タロウ ", "ﾔﾏﾀﾞ ﾀﾛｳ"),  # runs of spaces become one, ends trimmed
        ("ダイ２", "ﾀﾞｲ2"),
    ],
)
def test_typed_names_become_the_transfer_files_characters(typed, carried):
    assert zengin_text(typed) == carried


@pytest.mark.parametrize(
    ("typed", "refused"),
    [
        ("山田 花子", ["山", "田", "花", "子"]),
        ("ハナコ😀", ["😀"]),
        ("スミス・ジョン", ["・"]),  # the middle dot: the bank's spelling decides, not us
        ("ヲノ", ["ヲ"]),
        ("ハナコ/", ["/"]),
        ("ヰ", ["ヰ"]),
    ],
)
def test_what_the_format_cannot_carry_is_refused_and_named(typed, refused):
    with pytest.raises(ZenginTextError) as error:
        zengin_text(typed)
    assert error.value.characters == refused
