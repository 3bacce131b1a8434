"""和暦: dates as staff read them on screens and paper (令和8年4月1日). Stored dates stay ISO."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from japanera import EraDate


def wareki(day: date | None, *, month_only: bool = False) -> str:
    """``令和8年4月1日`` (or ``令和8年4月``); the first year of an era is written 元年."""
    if day is None:
        return ""
    return _wareki(day, month_only)


# A page of a hundred rows asks for the same few dates again and again, and japanera takes
# about 0.1 ms for each; the answer for a date never changes.
@lru_cache(maxsize=8192)
def _wareki(day: date, month_only: bool) -> str:
    era_date = EraDate.from_date(day)
    year = int(era_date.strftime("%-Y"))
    head = f"{era_date.strftime('%-K')}{'元' if year == 1 else year}年{day.month}月"
    return head if month_only else f"{head}{day.day}日"


def fiscal_year(day: date) -> int:
    """年度: the fiscal year (April–March) a day belongs to, as the Western year it starts in."""
    return day.year if day.month >= 4 else day.year - 1
