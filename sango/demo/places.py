"""The facilities' places: capacities, closed days and booking policies, and the month ahead at
かねこ助産院 — requests from こども課 answered and waiting, nights and a day of care full, a
declined and a cancelled request, a 熊本市 mother with her usage card (かねこ助産院 serves
both cities), and one mother on the waitlist for a full night. Everything through the
services of ``sango.bookings``, relative to the day the demo is built."""

from __future__ import annotations

from datetime import date, timedelta

from sango.bookings.capacity import capacity_set, closed_day_add, policy_set
from sango.bookings.models import Booking
from sango.bookings.services import (
    booking_accept,
    booking_cancel,
    booking_create,
    booking_decline,
    booking_request,
)
from sango.bookings.waitlist import waitlist_join
from sango.demo.context import Demo, facility
from sango.demo.people import Person, mother_create
from sango.mothers.models import Mother
from sango.municipalities.models import Municipality

KANEKO = "kaneko-josanin"
SOJA = "332089"

CAPACITIES = {
    "kaneko": {"stay": 2, "day": 3, "visit": 2},
    "kunitomi": {"stay": 2, "day": 2},
    "kawasaki": {"stay": 4, "day": 2},
    "kumamoto-clinic": {"stay": 2, "day": 3},
}

# Mothers who ring こども課 about the month ahead; deliveries in days before the demo's day.
CALLERS = {
    p.key: (p, days)
    for p, days in [
        (
            Person(
                "nishi",
                "西村 美月",
                "ニシムラ ミツキ",
                date(1995, 4, 2),
                "719-1131",
                "岡山県総社市中央五丁目1-1 デモハイツ301",
                "090-0000-0121",
                ("西村 蒼",),
                0,
            ),
            18,
        ),
        (
            Person(
                "fuji",
                "藤井 遥",
                "フジイ ハルカ",
                date(1992, 8, 19),
                "719-1136",
                "岡山県総社市駅前二丁目3-3 サンプルコーポ105",
                "090-0000-0122",
                ("藤井 陽葵",),
                0,
            ),
            25,
        ),
        (
            Person(
                "ishi",
                "石井 千夏",
                "イシイ チナツ",
                date(1997, 7, 1),
                "719-1126",
                "岡山県総社市総社三丁目4-4 デモ荘2号",
                "0866-00-0123",
                ("石井 湊",),
                0,
            ),
            12,
        ),
        (
            Person(
                "ueda",
                "上田 紗希",
                "ウエダ サキ",
                date(1990, 1, 30),
                "719-1154",
                "岡山県総社市井尻野55-5 サンプルハウス2",
                "090-0000-0124",
                ("上田 結翔",),
                0,
            ),
            30,
        ),
        (
            Person(
                "kondo",
                "近藤 若菜",
                "コンドウ ワカナ",
                date(1994, 11, 11),
                "719-1121",
                "岡山県総社市井手66-6 デモコート3B",
                "090-0000-0125",
                ("近藤 芽生",),
                0,
            ),
            9,
        ),
        (
            Person(
                "mori",
                "森 詩織",
                "モリ シオリ",
                date(1996, 3, 8),
                "719-1162",
                "岡山県総社市岡谷77-7 デモアパート5号",
                "0866-00-0126",
                ("森 大翔",),
                0,
            ),
            21,
        ),
        (
            Person(
                "yoshi",
                "吉田 瑞穂",
                "ヨシダ ミズホ",
                date(1993, 6, 6),
                "719-1135",
                "岡山県総社市真壁88-8 サンプル荘6号",
                "090-0000-0127",
                ("吉田 陽翔",),
                0,
            ),
            15,
        ),
    ]
}


def build(demo: Demo) -> None:
    _settings(demo)
    callers = {key: _caller(demo, key) for key in CALLERS}
    _month_at_kaneko(demo, callers)


def _settings(demo: Demo) -> None:
    for login, places in CAPACITIES.items():
        staff = demo.users[login]
        for service, count in places.items():
            capacity_set(facility=staff.facility, actor=staff, service=service, places=count)
    kaneko = demo.users["kaneko"]
    policy_set(
        facility=kaneko.facility,
        actor=kaneko,
        horizon_days=60,
        cancel_hours=24,
        cancel_note="前日のキャンセルは施設の規定によりキャンセル料がかかります（助成の対象外）。",
        offer_hours=24,
    )
    closed_day_add(facility=kaneko.facility, actor=kaneko, day=demo.ahead(14), note="研修のため")


def _caller(demo: Demo, key: str) -> Mother:
    person, days = CALLERS[key]
    return mother_create(
        person=person,
        municipality=Municipality.objects.get(code=SOJA),
        delivery=demo.today - timedelta(days=days),
    )


def _request(demo: Demo, mother: Mother, service: str, start: int, end: int, note=""):
    """こども課 asks かねこ助産院 for dates on the mother's behalf."""
    return booking_request(
        facility=facility(KANEKO),
        mother=mother,
        actor=demo.users["soja-clerk"],
        service=service,
        start_date=demo.ahead(start),
        end_date=demo.ahead(end),
        note=note,
    )


def _month_at_kaneko(demo: Demo, c: dict[str, Mother]) -> None:
    """Two beds a night, three day places, two visits. The nights of days 5 and 6 are full
    (with 平松さん's stay held since her interview), and so are the night of day 12 and the
    day care of day 3; 近藤さん waits for the night of day 5."""
    kaneko = demo.users["kaneko"]

    def accepted(*args, **kwargs) -> Booking:
        return booking_accept(booking=_request(demo, *args, **kwargs), actor=kaneko)

    accepted(c["nishi"], "stay", 2, 4)
    accepted(c["fuji"], "stay", 5, 7, note="上の子の預け先あり")
    accepted(c["ishi"], "stay", 12, 14)
    accepted(c["ueda"], "stay", 12, 13)
    for key in ("mori", "yoshi", "kondo"):
        accepted(c[key], "day", 3, 3)
    accepted(c["ueda"], "day", 10, 10)
    accepted(c["fuji"], "visit", 8, 8)
    waitlist_join(
        facility=kaneko.facility,
        mother=c["kondo"],
        actor=demo.users["soja-clerk"],
        service="stay",
        day=demo.ahead(5),
    )
    # waiting for the facility's answer
    _request(demo, c["kondo"], "stay", 9, 10)
    _request(demo, c["mori"], "stay", 20, 22, note="授乳の相談も希望")
    declined = _request(demo, c["yoshi"], "stay", 16, 17)
    booking_decline(booking=declined, actor=kaneko, reason="その日は夜間の助産師が不在のため")
    cancelled = accepted(c["ishi"], "day", 24, 24)
    booking_cancel(booking=cancelled, actor=demo.users["soja-clerk"])
    # 熊本市's 村上さん, home for the birth, books a night with her usage card: confirmed
    misaki = Mother.objects.get(user=demo.users["misaki"])
    booking_create(
        facility=kaneko.facility,
        mother=misaki,
        actor=kaneko,
        service="stay",
        start_date=demo.ahead(26),
        end_date=demo.ahead(27),
        note="里帰り中（熊本市の利用カード）",
    )
