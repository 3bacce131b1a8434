"""One use to be judged, and how it is read from JSON.

``UseRequest`` is an immutable tuple so that identical uses hash alike and batch evaluation can
memoise them. ``request_from_dict`` is the only way in from the outside world: it names the field
at fault and accepts what people really type (full-width digits, 2026/4/1).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Any, NamedTuple

from sango.rules.errors import RequestError

RESIDENCES = ("resident", "temporary_return", "non_resident")


class UseRequest(NamedTuple):
    """One use of a service. Money in integer yen; ``fee`` and ``infant_fee`` are per unit."""

    municipality: str
    service: str
    day: date  # the day of service: the date, or the day the stay or visit starts
    tier: str
    birth_date: date
    start: datetime | None = None
    end: datetime | None = None
    quantity: int | None = None
    infants: int = 1
    infants_born: int | None = None
    facility: str | None = None
    fee: int | None = None
    infant_fee: int | None = None
    extras: int = 0
    used: tuple[tuple[str, int], ...] = ()
    prior_uses: tuple[tuple[str, int], ...] = ()
    granted: tuple[tuple[str, int], ...] = ()
    nth: int | None = None
    mother_present: bool = True
    exclusions: frozenset[str] = frozenset()
    needs: frozenset[str] | None = None
    own_patient: bool | None = None
    residence: str = "resident"
    tax_arrears: bool = False
    pregnancy_loss: bool = False
    due_date: date | None = None


FIELDS = frozenset(UseRequest._fields) - {"day"} | {"date"}
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
# Hyphen look-alikes typed on Japanese keyboards: minus sign, long vowel mark, dashes.
_DASHES = re.compile("[\u2010-\u2015\u2212\u30fc\uff70]")


def request_from_dict(data: Any) -> UseRequest:
    """Read a request object (parsed JSON). Raises ``RequestError`` naming the bad field."""
    if not isinstance(data, dict):
        raise RequestError("-", "リクエストはJSONのオブジェクトで書いてください")
    unknown = sorted(set(data) - FIELDS)
    if unknown:
        raise RequestError(unknown[0], "この項目は使えません（綴りを確かめてください）")
    start = _datetime(data, "start")
    end = _datetime(data, "end")
    day = _date(data, "date")
    if day is None:
        if start is None:
            raise RequestError("date", "利用日（date）か開始・終了（start, end）を書いてください")
        day = start.date()
    birth_date = _date(data, "birth_date")
    if birth_date is None:
        raise RequestError("birth_date", "出生日（birth_date）を書いてください")
    due_date = _date(data, "due_date")
    residence = data.get("residence", "resident")
    if residence not in RESIDENCES:
        raise RequestError("residence", f"{', '.join(RESIDENCES)} のいずれかです")
    request = UseRequest(
        municipality=_text(data, "municipality", required=True),
        service=_code(data, "service", required=True),
        day=day,
        tier=_code(data, "tier", required=True),
        birth_date=birth_date,
        start=start,
        end=end,
        quantity=_int(data, "quantity", minimum=1),
        infants=_int(data, "infants", minimum=0, default=1),
        infants_born=_int(data, "infants_born", minimum=1),
        facility=_text(data, "facility"),
        fee=_int(data, "fee", minimum=0),
        infant_fee=_int(data, "infant_fee", minimum=0),
        extras=_int(data, "extras", minimum=0, default=0),
        used=_counts(data, "used"),
        prior_uses=_counts(data, "prior_uses"),
        granted=_counts(data, "granted"),
        nth=_int(data, "nth", minimum=1),
        mother_present=_bool(data, "mother_present", default=True),
        exclusions=frozenset(_codes(data, "exclusions") or ()),
        needs=None if data.get("needs") is None else frozenset(_codes(data, "needs")),
        own_patient=_bool(data, "own_patient", default=None),
        residence=residence,
        tax_arrears=_bool(data, "tax_arrears", default=False),
        pregnancy_loss=_bool(data, "pregnancy_loss", default=False),
        due_date=due_date,
    )
    check_request(request)
    return request


# Plausible bounds for what is typed (not rules of any programme): a fee per unit (one night, one
# day, one visit) between 100 yen and 1,000,000 yen, costs outside the subsidy up to 1,000,000
# yen, at most 365 units and 5 infants in one use. A figure outside them is a typing mistake.
FEE_MIN, FEE_MAX = 100, 1_000_000
EXTRAS_MAX = 1_000_000
QUANTITY_MAX = 365
INFANTS_MAX = 5
# What one receipt can plausibly say was paid (a week's stay for twins is far below it).
AMOUNT_PAID_MAX = 10_000_000


def check_request(request: UseRequest) -> None:
    """What makes a use impossible, whoever built the request (JSON or the database): start and
    end together and in order, on the day of service, no use before the birth, amounts and
    counts inside their plausible bounds, and never more infants than were born."""
    for name, value, low, high in (
        ("fee", request.fee, FEE_MIN, FEE_MAX),
        ("infant_fee", request.infant_fee, 0, FEE_MAX),
        ("extras", request.extras, 0, EXTRAS_MAX),
        ("quantity", request.quantity, 1, QUANTITY_MAX),
        ("infants", request.infants, 0, INFANTS_MAX),
    ):
        if value is not None and not low <= value <= high:
            raise RequestError(name, f"{low:,}から{high:,}までの整数にしてください")
    born = request.infants_born
    if born is not None and request.infants > born:
        raise RequestError(
            "infants", f"乳児の人数が、出生を登録した人数（{born}人）より多くなっています"
        )
    start, end = request.start, request.end
    if (start is None) != (end is None):
        raise RequestError("end" if end is None else "start", "start と end は両方書いてください")
    if start is not None and end <= start:
        raise RequestError("end", "終了は開始より後の日時にしてください")
    if start is not None and start.date() != request.day:
        raise RequestError("date", "利用日と開始日時の日付が違います")
    if request.birth_date > request.day:
        raise RequestError("birth_date", "出生日が利用日より後になっています")


def _normal(value: str) -> str:
    if value.isascii():
        return value.strip()
    # NFKC turns full-width digits and letters (２０２６／４／１) into their ASCII forms.
    return unicodedata.normalize("NFKC", value).strip()


def _text(data: dict, name: str, *, required: bool = False) -> str | None:
    value = data.get(name)
    if value is None:
        if required:
            raise RequestError(name, "必須の項目です")
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not _normal(value):
        raise RequestError(name, "文字列で書いてください")
    return _normal(value)


def _code(data: dict, name: str, *, required: bool = False) -> str | None:
    value = _text(data, name, required=required)
    if value is not None and not _CODE.match(value):
        raise RequestError(name, f"コード（英小文字と _）で書いてください: {value!r}")
    return value


def _int(data: dict, name: str, *, minimum: int, default: int | None = None) -> int | None:
    value = data.get(name)
    if value is None:
        return default
    if isinstance(value, str) and _normal(value).isdigit():
        value = int(_normal(value))
    if isinstance(value, bool) or not isinstance(value, int):
        raise RequestError(name, "整数で書いてください（金額は円単位の整数）")
    if value < minimum:
        raise RequestError(name, f"{minimum}以上の整数にしてください")
    return value


def _bool(data: dict, name: str, *, default: bool | None) -> bool | None:
    value = data.get(name, default)
    if value is not None and not isinstance(value, bool):
        raise RequestError(name, "true か false で書いてください")
    return value


def _date(data: dict, name: str) -> date | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise RequestError(name, "日付は 2026-04-01 の形の文字列で書いてください")
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass  # not plain ISO: try what people type (full-width, 2026/4/1, 令和8年4月1日) below
    parsed = parse_date(value)
    if parsed is None:
        raise RequestError(name, f"日付として読めません: {value!r}（例: 2026-04-01）")
    return parsed


# 和暦 as written on paper forms and typed at the counter: 令和8年4月1日, R8.4.1, H6/5/20, 平成元年.
_ERA_DATE = re.compile(
    r"^(明治|大正|昭和|平成|令和|[MTSHR])\s*(元|\d{1,2})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]"
    r"\s*(\d{1,2})\s*日?$",
    re.IGNORECASE,
)
_ERA_START = {
    "明治": date(1868, 1, 25),  # 1868-10-23 in law; japanera's table starts the year here
    "大正": date(1912, 7, 30),
    "昭和": date(1926, 12, 25),
    "平成": date(1989, 1, 8),
    "令和": date(2019, 5, 1),
}
_ERA_LETTERS = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}
# Dates outside this range are typing mistakes (a year 20026, an era year 80), never a birth or a
# day of service; refusing them keeps every later step (和暦, fiscal years) within its domain.
EARLIEST, LATEST = date(1900, 1, 1), date(2099, 12, 31)


def parse_date(text: str) -> date | None:
    """A date as people type it: ISO, full-width, 2026/4/1, 2026年4月1日, 令和8年4月1日,
    R8.4.1 or H6.5.20; None when it is not a real date between 1900 and 2099."""
    text = _DASHES.sub("-", _normal(text))
    era = _ERA_DATE.match(text)
    parsed = _era_date(era[1], era[2], int(era[3]), int(era[4])) if era else _western_date(text)
    if parsed is None or not EARLIEST <= parsed <= LATEST:
        return None
    return parsed


def _era_date(era: str, year: str, month: int, day: int) -> date | None:
    name = _ERA_LETTERS.get(era.upper(), era)
    start = _ERA_START[name]
    try:
        found = date(start.year + (1 if year == "元" else int(year)) - 1, month, day)
    except ValueError:
        return None
    following = [d for d in _ERA_START.values() if d > start]
    # 令和1年4月1日 does not exist (still 平成): an era date must fall within its era.
    if found < start or (following and found >= min(following)):
        return None
    return found


def _western_date(text: str) -> date | None:
    text = text.replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-")
    try:
        year, month, day = (int(part) for part in text.removesuffix("日").split("-"))
        return date(year, month, day)
    except ValueError:
        return None


def _datetime(data: dict, name: str) -> datetime | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise RequestError(name, "日時は 2026-04-01T10:00 の形の文字列で書いてください")
    try:
        parsed = datetime.fromisoformat(_normal(value).replace("/", "-"))
    except ValueError:
        raise RequestError(
            name, f"日時として読めません: {value!r}（例: 2026-04-01T10:00）"
        ) from None
    # Times are wall-clock times at the facility; an offset, if given, is dropped after checking.
    return parsed.replace(tzinfo=None)


def _codes(data: dict, name: str) -> list[str]:
    value = data.get(name)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RequestError(name, 'コードの配列で書いてください（例: ["infectious_disease"]）')
    return [_normal(v) for v in value]


def _counts(data: dict, name: str) -> tuple[tuple[str, int], ...]:
    value = data.get(name)
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise RequestError(
            name, 'サービスまたは上限のコードと数量の組で書いてください（例: {"stay": 2}）'
        )
    counts = []
    for key, amount in value.items():
        try:
            number = _int({key: amount}, key, minimum=0)
        except RequestError as exc:
            raise RequestError(f"{name}.{key}", exc.message) from None
        counts.append((_normal(key), number))
    return tuple(sorted(counts))
