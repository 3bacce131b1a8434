"""Windows as municipal pages spell them: read as their meaning, or refused with the spellings."""

from __future__ import annotations

from datetime import date

import pytest

from sango.rules.windows import ACCEPTED, Window, parse_window

BIRTH = date(2026, 4, 10)


@pytest.mark.parametrize(
    ("words", "window"),
    [
        ("4か月未満", Window(months=4, inclusive=False)),
        ("4ヵ月未満", Window(months=4, inclusive=False)),  # small ヵ
        ("4ヶ月未満", Window(months=4, inclusive=False)),  # small ヶ
        ("4カ月以内", Window(months=4, inclusive=True)),
        ("4ケ月以内", Window(months=4, inclusive=True)),
        ("4箇月以内", Window(months=4, inclusive=True)),
        ("４か月以内", Window(months=4, inclusive=True)),  # full-width digit
        ("4ｶ月以内", Window(months=4, inclusive=True)),  # half-width kana
        ("産後4か月以内", Window(months=4, inclusive=True)),
        ("出産後 4 か月 以内", Window(months=4, inclusive=True)),
        ("生後4か月まで", Window(months=4, inclusive=True)),  # まで = 以内
        ("生後28日まで", Window(days=28, inclusive=True)),
        ("1歳未満", Window(months=12, inclusive=False)),
        ("1歳の誕生日の前日まで", Window(months=12, inclusive=False)),
        ("1年未満", Window(months=12, inclusive=False)),
    ],
)
def test_spellings_read_as_their_meaning(words: str, window: Window) -> None:
    assert parse_window(words) == window


def test_made_and_until_differ_by_the_anniversary() -> None:
    assert parse_window("生後4か月まで").last_day(BIRTH) == date(2026, 8, 10)
    assert parse_window("4ヵ月未満").last_day(BIRTH) == date(2026, 8, 9)
    assert parse_window("1歳未満").last_day(BIRTH) == date(2027, 4, 9)


@pytest.mark.parametrize(
    "words", ["4ケ月", "生後4か月", "4月未満", "4週間以内", "1歳まで", "1歳以内"]
)
def test_ambiguous_or_unknown_spellings_are_refused(words: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_window(words)
    text = str(caught.value)
    assert repr(words) in text
    assert ACCEPTED in text or "1歳未満" in text
