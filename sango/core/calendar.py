"""Business days as a Japanese municipal office counts them: no weekends, no public holidays
(jpholiday), and no 年末年始 (29 December – 3 January, 行政機関の休日に関する法律)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import jpholiday


@lru_cache(maxsize=8192)  # jpholiday computes each day's holidays afresh; they never change
def is_business_day(day: date) -> bool:
    if day.weekday() >= 5 or jpholiday.is_holiday(day):
        return False
    return not ((day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3))


def add_business_days(start: date, days: int) -> date:
    """The business day ``days`` business days after ``start`` (``start`` itself not counted)."""
    day = start
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_business_day(day):
            remaining -= 1
    return day


def business_days_between(start: date, end: date) -> int:
    """Business days after ``start`` up to and including ``end`` (0 when end <= start)."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_business_day(day):
            count += 1
    return count
