"""Stored text is cleaned of what nobody types, and nothing a person typed is changed."""

import pytest

from sango.core.text import clean_text


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("総社 花子", "総社 花子"),
        ("\u202e子花 社総", "子花 社総"),  # a right-to-left override shows the name reversed
        ("ハナ\u200bコ\ufeff", "ハナコ"),
        ("中央1-1\x1b[2J", "中央1-1[2J"),  # the escape is gone; the rest is harmless text
        ("一行目\r\n二行目", "一行目 二行目"),
        ("髙﨑 \ufa19", "髙﨑 \ufa19"),  # a name's characters as written (NFC would change 神)
        ("ｶﾞ", "ｶﾞ"),  # half-width kana stay as typed here; the kana fields normalise them
    ],
)
def test_one_line_text(typed: str, stored: str) -> None:
    assert clean_text(typed) == stored


def test_several_lines_keep_their_breaks() -> None:
    assert clean_text("所見\r\n\u2028次の行\t以上", multiline=True) == "所見\n\n次の行 以上"
