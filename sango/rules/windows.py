"""Postpartum windows: "産後3か月以内", "1年未満", "28日以内", as municipal pages write them.

A window is a length counted from the day of birth and an end that is either inclusive (以内: the
anniversary day itself is still inside) or exclusive (未満: the window ends the day before).
Read as written on municipal pages (docs/programme-format.md, *Windows*):

- か月 may be written ヶ月, ヵ月, カ月, ケ月 or 箇月; digits may be full-width; spaces are ignored;
  an optional 産後, 生後, 出産後 or 出生後 in front;
- まで is 以内 (生後4か月まで: the day four months after birth is still inside);
- N歳未満 is N×12か月未満; "1歳の誕生日の前日まで" is the same as ``12か月未満``;
- a length without 以内, 未満 or まで (生後4ケ月), and N歳まで / N歳以内 (is the birthday inside?),
  are refused with the accepted spellings listed, never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from dateutil.relativedelta import relativedelta

_MONTHS = "か月|ヶ月|ヵ月|カ月|ケ月|箇月"
_PREFIX = "(?:産後|生後|出産後|出生後)?"
_SHORTHAND = re.compile(rf"^{_PREFIX}(\d+)({_MONTHS}|年|日|歳)(以内|未満|まで)?$")
_BIRTHDAY = re.compile(rf"^{_PREFIX}(\d+)歳の誕生日の前日まで$")
_UNIT_TO_MONTHS = {**dict.fromkeys(_MONTHS.split("|"), 1), "年": 12, "歳": 12}
ACCEPTED = (
    "「3か月以内」「4か月未満」「生後4か月まで」（まで は 以内 と同じ）「1歳未満」"
    "「1歳の誕生日の前日まで」「28日以内」のように書いてください"
    "（か月 は ヶ月・ヵ月・カ月・ケ月・箇月 でも書けます）"
)


@dataclass(frozen=True, slots=True)
class Window:
    """A length after birth: ``months`` or ``days``, with an inclusive or exclusive end."""

    months: int = 0
    days: int = 0
    inclusive: bool = True

    def last_day(self, birth: date) -> date:
        """The last day of service inside the window for a birth on ``birth`` (inclusive)."""
        return _last_day(birth, self.months, self.days, self.inclusive)

    def label(self) -> str:
        """The window in the leaflets' own words, e.g. ``産後3か月以内``."""
        if self.days:
            length = f"{self.days}日"
        elif self.months % 12 == 0:
            length = f"{self.months // 12}年"
        else:
            length = f"{self.months}か月"
        return f"産後{length}{'以内' if self.inclusive else '未満'}"

    def label_en(self) -> str:
        length = f"{self.days} days" if self.days else f"{self.months} months"
        return f"within {length} of birth ({'inclusive' if self.inclusive else 'exclusive'})"


@lru_cache(maxsize=65536)
def _last_day(birth: date, months: int, days: int, inclusive: bool) -> date:
    anniversary = birth + relativedelta(months=months) + timedelta(days=days)
    if inclusive:
        # 以内: up to and including the corresponding day; where the month has none (born 31
        # January, 1か月), relativedelta takes the month's last day (28/29 February).
        return anniversary
    if months and anniversary.day != birth.day:
        # 未満 with no corresponding day: the period ends with the month's last day
        # (民法143条2項ただし書), so that day is still inside (born 31 Jan: 1か月未満 = 28 Feb).
        return anniversary
    return anniversary - timedelta(days=1)


def parse_window(value: object) -> Window:
    """Read a window from a document: ``"3か月以内"`` or ``{months: 3, end: inclusive}``.

    Raises ``ValueError`` with the accepted forms when the value is neither.
    """
    if isinstance(value, Window):
        return value
    if isinstance(value, str):
        return _parse_words(value)
    if isinstance(value, dict):
        allowed = {"months", "days", "end"}
        extra = set(value) - allowed
        if extra:
            raise ValueError(
                f"使えない項目があります: {sorted(extra)}（使えるのは months, days, end）"
            )
        months, days, end = value.get("months", 0), value.get("days", 0), value.get("end")
        if end not in ("inclusive", "exclusive"):
            raise ValueError("end は inclusive（以内）か exclusive（未満）のどちらかです")
        if not isinstance(months, int) or not isinstance(days, int) or months < 0 or days < 0:
            raise ValueError("months と days は 0 以上の整数です")
        if not months and not days:
            raise ValueError("months か days のどちらかを 1 以上にしてください")
        return Window(months=months, days=days, inclusive=end == "inclusive")
    raise ValueError("期間は「3か月以内」のような文字列か {months, end} の形で書いてください")


def _parse_words(value: str) -> Window:
    """A window in words; full-width digits and half-width kana are read through NFKC."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))
    birthday = _BIRTHDAY.match(text)
    if birthday:
        return Window(months=int(birthday[1]) * 12, inclusive=False)
    match = _SHORTHAND.match(text)
    if not match:
        raise ValueError(f"期間の書き方が読めません: {value!r}。{ACCEPTED}")
    number, unit, end = int(match[1]), match[2], match[3]
    if end is None:
        raise ValueError(
            f"期間 {value!r} には、最後の日を含む（以内）か含まない（未満）かがありません。"
            + ACCEPTED
        )
    if unit == "歳" and end != "未満":
        raise ValueError(
            f"期間 {value!r} では誕生日を含むかが読み取れません。"
            f"「{number}歳未満」（誕生日の前日まで）か「{number * 12}か月以内」と書いてください"
        )
    inclusive = end in ("以内", "まで")
    if number == 0:
        raise ValueError(f"期間 {value!r} の長さを 1 以上にしてください")
    if unit == "日":
        return Window(days=number, inclusive=inclusive)
    return Window(months=number * _UNIT_TO_MONTHS[unit], inclusive=inclusive)
