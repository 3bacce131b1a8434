"""The demo's mothers: invented people with invented addresses and phone numbers.

Phone numbers use exchanges that do not exist (``090-0000-…``, ``0866-00-…``) and every address
names a ``デモ`` or ``サンプル`` building, so nobody can mistake them for real people. A mother's
delivery is given as days before the first day of last month, so that the demo's uses in last
month fall inside every postpartum window whatever day the demo is built.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sango.accounts.models import User
from sango.mothers.models import Infant, Mother
from sango.municipalities.models import Municipality


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    name_kana: str
    birth_date: date
    postal_code: str
    address: str
    phone: str
    infants: tuple[str, ...]  # the babies' names; two for twins
    born_before: int  # the delivery: this many days before the first day of last month


SOJA_PEOPLE = {
    p.key: p
    for p in [
        Person(
            "hanako",
            "岡田 花子",
            "オカダ ハナコ",
            date(1994, 6, 12),
            "719-1131",
            "岡山県総社市中央三丁目2-8 デモハイツ101",
            "090-0000-0101",
            ("岡田 陽向",),
            20,
        ),
        Person(
            "twins",
            "三宅 彩乃",
            "ミヤケ アヤノ",
            date(1991, 2, 3),
            "719-1136",
            "岡山県総社市駅前一丁目4-11 サンプルコーポ203",
            "0866-00-0102",
            ("三宅 結菜", "三宅 結衣"),
            25,
        ),
        Person(
            "return",
            "片山 優衣",
            "カタヤマ ユイ",
            date(1996, 9, 21),
            "719-1126",
            "岡山県総社市総社二丁目7-3 デモ荘1号（実家）",
            "090-0000-0103",
            ("片山 蓮",),
            18,
        ),
        Person(
            "out_of_area",
            "守屋 千尋",
            "モリヤ チヒロ",
            date(1993, 11, 30),
            "719-1154",
            "岡山県総社市井尻野1234-5 サンプルハウス",
            "090-0000-0104",
            ("守屋 湊",),
            30,
        ),
        Person(
            "changed",
            "難波 さくら",
            "ナンバ サクラ",
            date(1990, 4, 18),
            "719-1121",
            "岡山県総社市井手567-8 デモコート2A",
            "0866-00-0105",
            ("難波 葵",),
            15,
        ),
        Person(
            "welfare",
            "小野 真由",
            "オノ マユ",
            date(1998, 7, 7),
            "719-1162",
            "岡山県総社市岡谷88-1 デモアパート2号",
            "090-0000-0106",
            ("小野 朝陽",),
            22,
        ),
        Person(
            "cancelled",
            "赤木 舞",
            "アカギ マイ",
            date(1995, 1, 25),
            "719-1135",
            "岡山県総社市真壁300 サンプル荘3号",
            "0866-00-0107",
            ("赤木 颯",),
            10,
        ),
        Person(
            "expired",
            "横山 恵",
            "ヨコヤマ メグミ",
            date(1989, 12, 2),
            "719-1176",
            "岡山県総社市清音軽部77 デモヴィラ105",
            "090-0000-0108",
            ("横山 紬",),
            90,
        ),
        Person(
            "rejected",
            "浅野 由香",
            "アサノ ユカ",
            date(1992, 3, 14),
            "719-1132",
            "岡山県総社市三輪456-7 サンプルメゾン302",
            "090-0000-0109",
            ("浅野 律",),
            12,
        ),
        Person(
            "interviewed",
            "平松 理沙",
            "ヒラマツ リサ",
            date(1997, 5, 30),
            "719-1125",
            "岡山県総社市門田210-3 デモハイツ205",
            "0866-00-0110",
            ("平松 凛",),
            8,
        ),
        Person(
            "certificate",
            "坂本 亜美",
            "サカモト アミ",
            date(1999, 8, 8),
            "719-1134",
            "岡山県総社市真壁1500-2 サンプルコーポ102",
            "090-0000-0111",
            ("坂本 樹",),
            6,
        ),
        Person(
            "submitted",
            "山本 奈々",
            "ヤマモト ナナ",
            date(1994, 10, 10),
            "719-1137",
            "岡山県総社市駅南二丁目5-5 デモレジデンス401",
            "090-0000-0112",
            ("山本 湊斗",),
            4,
        ),
        Person(
            "draft",
            "原田 香織",
            "ハラダ カオリ",
            date(1993, 2, 28),
            "719-1141",
            "岡山県総社市久代900-1 サンプル荘5号",
            "0866-00-0113",
            ("原田 芽依",),
            3,
        ),
    ]
}

KUMAMOTO_PEOPLE = {
    p.key: p
    for p in [
        Person(
            "misaki",
            "村上 美咲",
            "ムラカミ ミサキ",
            date(1995, 3, 3),
            "860-0806",
            "熊本県熊本市中央区花畑町9-99 デモマンション501",
            "090-0000-0201",
            ("村上 大和",),
            20,
        ),
        Person(
            "higashi",
            "松本 葵",
            "マツモト アオイ",
            date(1992, 12, 12),
            "861-2101",
            "熊本県熊本市東区桜木9-9-9 サンプル荘2号",
            "090-0000-0202",
            ("松本 心春",),
            14,
        ),
    ]
}

# ゆりかご市 is itself invented (sample data); so are its postal codes (000-…).
YURIKAGO_PEOPLE = {
    p.key: p
    for p in [
        Person(
            "sakura",
            "青木 さくら",
            "アオキ サクラ",
            date(1996, 4, 4),
            "000-0001",
            "静岡県ゆりかご市中央4-4（架空） デモハイツ202",
            "090-0000-0301",
            ("青木 蒼",),
            -10,  # born ten days into last month
        ),
        Person(
            "yuki",
            "森 由紀",
            "モリ ユキ",
            date(1993, 1, 15),
            "000-0002",
            "静岡県ゆりかご市北町5-5（架空） サンプルコーポ101",
            "090-0000-0302",
            ("森 湊",),
            -20,
        ),
    ]
}


def mother_create(
    *, person: Person, municipality: Municipality, delivery: date, user: User | None = None
) -> Mother:
    """The mother and her babies, as the municipality registers them (there is no workflow
    for a person's record: it is plain data, like the factories' ``mother_with_baby``)."""
    mother = Mother.objects.create(
        municipality=municipality,
        user=user,
        name=person.name,
        name_kana=person.name_kana,
        birth_date=person.birth_date,
        postal_code=person.postal_code,
        address=person.address,
        phone=person.phone,
    )
    for name in person.infants:
        # Twins came three weeks before their due date, the others a couple of days.
        early = 21 if len(person.infants) > 1 else 2
        Infant.objects.create(
            mother=mother, name=name, birth_date=delivery, due_date=delivery + timedelta(early)
        )
    return mother
