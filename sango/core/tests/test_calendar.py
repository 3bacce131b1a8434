"""Business days as a municipal office counts them: weekends, public holidays and 年末年始 off."""

from datetime import date

import pytest

from sango.core.calendar import add_business_days, business_days_between, is_business_day


@pytest.mark.parametrize(
    ("day", "open_"),
    [
        (date(2026, 11, 13), True),  # Friday
        (date(2026, 11, 14), False),  # Saturday
        (date(2026, 11, 15), False),  # Sunday
        (date(2026, 11, 23), False),  # 勤労感謝の日 (Monday)
        (date(2026, 5, 6), False),  # 振替休日 for 憲法記念日 falling on a Sunday
        (date(2026, 9, 22), False),  # 国民の休日 between 敬老の日 and 秋分の日
        (date(2026, 12, 28), True),  # 仕事納め
        (date(2026, 12, 29), False),  # 年末年始 on a Tuesday: no holiday law, still closed
        (date(2026, 12, 31), False),
        (date(2027, 1, 2), False),
        (date(2027, 1, 3), False),
        (date(2027, 1, 4), True),  # 仕事始め
    ],
)
def test_is_business_day(day: date, open_: bool) -> None:
    assert is_business_day(day) is open_


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # Friday + 1 skips the weekend.
        (date(2026, 11, 13), 1, date(2026, 11, 16)),
        # Friday + 1 when Monday is 勤労感謝の日.
        (date(2026, 11, 20), 1, date(2026, 11, 24)),
        # Golden Week 2026: 5/2 Sat, 5/3 Sun, 5/4–5/6 holidays; 4/29 昭和の日 before it.
        (date(2026, 4, 28), 1, date(2026, 4, 30)),
        (date(2026, 4, 30), 2, date(2026, 5, 7)),
        (date(2026, 4, 30), 5, date(2026, 5, 12)),
        # A start on a holiday is not itself counted.
        (date(2026, 5, 3), 1, date(2026, 5, 7)),
        # 年末年始: 12/29–1/3 closed, then 1/4 (Monday) opens.
        (date(2026, 12, 28), 1, date(2027, 1, 4)),
        (date(2026, 12, 25), 5, date(2027, 1, 7)),
        (date(2026, 11, 13), 0, date(2026, 11, 13)),
    ],
)
def test_add_business_days(start: date, days: int, due: date) -> None:
    assert add_business_days(start, days) == due


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (date(2026, 11, 13), date(2026, 11, 16), 1),  # over a weekend
        (date(2026, 4, 30), date(2026, 5, 12), 5),  # over Golden Week
        (date(2026, 12, 25), date(2027, 1, 7), 5),  # over 年末年始
        (date(2026, 12, 29), date(2027, 1, 3), 0),  # entirely inside 年末年始
        (date(2026, 11, 16), date(2026, 11, 16), 0),
        (date(2026, 11, 16), date(2026, 11, 13), 0),  # end before start
    ],
)
def test_business_days_between(start: date, end: date, days: int) -> None:
    assert business_days_between(start, end) == days


def test_counting_back_agrees_with_adding() -> None:
    start = date(2026, 4, 1)
    for days in range(0, 200, 7):
        assert business_days_between(start, add_business_days(start, days)) == days
