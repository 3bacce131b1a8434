"""The tables municipal staff (こども課) download to open in Excel: applications, uses and facility
claims for a date range, one row per record, with Japanese column headers.

A view calls one function with the user and the range, then writes the table in the format asked
(``sango.reports.files``)::

    table = exports.applications(user=request.user, date_from=start, date_to=end)
    body = files.render(table, fmt)  # fmt: "csv", "csv_cp932" or "xlsx"
    response = HttpResponse(body, content_type=files.content_type(fmt))
    response["Content-Disposition"] = files.content_disposition(
        files.filename(table, fmt, start, end), files.filename_japanese(table, fmt, start, end)
    )

Every table starts from ``sango.accounts.access``, so a clerk exports her own municipality only.
Ranges are inclusive at both ends; ``None`` leaves that end open. The rows are read lazily, in
chunks, when the table is written (once); the number of queries does not grow with the rows.

Cells are ``str``, ``int`` (yen, counts, ids), ``date``, ``datetime`` (naive, Japan time),
``Month`` or ``None`` (empty). Labels are Japanese whatever the active language, and names come
from the programme documents, never codes. Dates are ISO in the files by house rule (screens
show 和暦).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone, translation

from sango.accounts import access
from sango.applications.models import Application, TierBasis
from sango.billing.models import ClaimLine, FacilityClaim
from sango.mothers.models import Infant
from sango.programs.registry import get_registry
from sango.programs.rules_for import tier_name
from sango.programs.selectors import service_name
from sango.rules.messages import UNIT_NAMES
from sango.usage.models import Use

CHUNK_SIZE = 500  # rows per database round trip (and per prefetch of infants)
YES, NO = "あり", "なし"


class Month(date):
    """A calendar month, held as its first day: written 2026年4月 (CSV) or as a date cell shown
    the same way (XLSX), so that Excel still sorts it."""

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month, 1)

    def label(self) -> str:
        return f"{self.year}年{self.month}月"


@dataclass
class Table:
    """What an export produces. ``name`` is the ASCII stem of the file name, ``title`` the
    Japanese one (and the sheet's name). ``money`` lists the headers whose cells are yen."""

    name: str
    title: str
    headers: list[str]
    rows: Iterable[list[Any]]
    money: tuple[str, ...] = ()


def _labels(choices: Iterable[tuple[Any, Any]]) -> dict[Any, str]:
    """A choice's Japanese label by value (the export is Japanese whatever the request's
    language)."""
    with translation.override("ja"):
        return {value: str(label) for value, label in choices}


def _local_date(moment: datetime | None) -> date | None:
    """The day in Japan time of an aware moment."""
    return timezone.localtime(moment).date() if moment else None


def _local_time(moment: datetime | None) -> datetime | None:
    """An aware moment as a naive Japan-time datetime (Excel has no time zones)."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _in_range(
    queryset: QuerySet, field: str, date_from: date | None, date_to: date | None
) -> QuerySet:
    """``field`` (a date lookup) between ``date_from`` and ``date_to``, both inclusive."""
    if date_from is not None:
        queryset = queryset.filter(**{f"{field}__gte": date_from})
    if date_to is not None:
        queryset = queryset.filter(**{f"{field}__lte": date_to})
    return queryset


# --- applications ---------------------------------------------------------------------------

APPLICATION_HEADERS = [
    "申請番号",
    "状態",
    "受付日",
    "受付方法",
    "代理申請",
    "窓口",
    "担当者",
    "氏名",
    "フリガナ",
    "産婦の生年月日",
    "郵便番号",
    "住所",
    "電話番号",
    "里帰り（住所地の市町村）",
    "出産日",
    "乳児数",
    "世帯の区分",
    "区分の確認方法",
    "決定日",
    "利用期間の開始",
    "利用期間の終了",
    "利用券番号",
]


def applications(*, user: Any, date_from: date | None, date_to: date | None) -> Table:
    """利用申請, one row per application received (受付日, in Japan time) in the range, inclusive,
    oldest first.

    Drafts have no 受付日: they belong to no range, so they appear only when both ends are
    ``None`` (the whole list), after the received ones.
    """
    queryset = (
        access.applications_visible_to(user)
        .select_related("mother", "municipality", "office", "assigned_to", "voucher")
        .prefetch_related(Prefetch("mother__infants", queryset=Infant.objects.all()))
        .order_by(F("submitted_at").asc(nulls_last=True), "pk")
    )
    if date_from is not None or date_to is not None:
        queryset = _in_range(queryset, "submitted_at__date", date_from, date_to)
    row = _application_row(
        status=_labels(Application.Status.choices),
        channel=_labels(Application.Channel.choices),
        basis=_labels(TierBasis.choices),
    )
    return Table(
        name="applications",
        title="利用申請",
        headers=APPLICATION_HEADERS,
        rows=map(row, queryset.iterator(chunk_size=CHUNK_SIZE)),
    )


def _application_row(
    *, status: dict[str, str], channel: dict[str, str], basis: dict[str, str]
) -> Callable[[Application], list[Any]]:
    def row(a: Application) -> list[Any]:
        mother, code = a.mother, a.municipality.code
        returned = a.residence == Application.Residence.TEMPORARY_RETURN
        return [
            a.pk,
            status.get(a.status, a.status),
            _local_date(a.submitted_at),
            channel.get(a.channel, a.channel),
            YES if a.by_proxy else NO,
            a.office.name if a.office else "",
            _person(a.assigned_to),
            mother.name,
            mother.name_kana,
            mother.birth_date,
            mother.postal_code,
            mother.address,
            mother.phone,
            a.home_municipality if returned else "",
            mother.delivery_date,
            len(mother.infants.all()),
            tier_name(code, a.tier) if a.tier else "",
            basis.get(a.tier_basis, a.tier_basis),
            _local_date(a.decided_at),
            a.valid_from,
            a.valid_until,
            _voucher_number(a),
        ]

    return row


def _person(user: Any) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _voucher_number(application: Application) -> str:
    try:
        return application.voucher.number
    except ObjectDoesNotExist:  # not approved (yet): no voucher
        return ""


# --- uses -----------------------------------------------------------------------------------

USE_HEADERS = [
    "記録番号",
    "利用日",
    "開始",
    "終了",
    "種別",
    "施設",
    "サービス",
    "数量",
    "単位",
    "乳児数",
    "単価",
    "利用料金",
    "市の負担額",
    "自己負担額",
    "その他の実費",
    "世帯の区分",
    "状態",
    "取消・訂正の理由",
    "訂正元の記録番号",
    "利用券番号",
    "氏名",
]
USE_MONEY = ("単価", "利用料金", "市の負担額", "自己負担額", "その他の実費")


def uses(*, user: Any, date_from: date | None, date_to: date | None) -> Table:
    """利用記録, one row per use whose day of service is in the range, inclusive; voided uses
    included (状態 取消) so that every correction can be traced.

    Money is integer yen: 単価 per unit (additional infants included), 利用料金 = 単価 × 数量 =
    市の負担額 + 自己負担額; その他の実費 is what the programme does not cover (meals ...).
    """
    queryset = _in_range(
        access.uses_visible_to(user)
        .select_related("voucher__mother", "facility", "municipality", "corrects")
        .order_by("day", "pk"),
        "day",
        date_from,
        date_to,
    )
    row = _use_row(
        status=_labels(Use.Status.choices),
        source=_labels(Use.Source.choices),
        service=_service_namer(),
    )
    return Table(
        name="uses",
        title="利用記録",
        headers=USE_HEADERS,
        rows=map(row, queryset.iterator(chunk_size=CHUNK_SIZE)),
        money=USE_MONEY,
    )


def _use_row(
    *,
    status: dict[str, str],
    source: dict[str, str],
    service: Callable[[str, date, str], tuple[str, str]],
) -> Callable[[Use], list[Any]]:
    def row(u: Use) -> list[Any]:
        code = u.municipality.code
        name, unit = service(code, u.version, u.service)
        return [
            u.pk,
            u.day,
            _local_time(u.start),
            _local_time(u.end),
            source.get(u.source, u.source),
            u.facility.name if u.facility else "",
            name,
            u.quantity,
            unit,
            u.infants,
            u.fee,
            u.fee * u.quantity,
            u.subsidy,
            u.copay,
            u.extras,
            tier_name(code, u.tier),
            status.get(u.status, u.status),
            _change_reason(u),
            u.corrects_id,
            u.voucher.number,
            u.voucher.mother.name,
        ]

    return row


def _change_reason(use: Use) -> str:
    """Why a use was voided, or, for a correction, why the use it replaces was corrected."""
    if use.void_reason:
        return use.void_reason
    return use.corrects.void_reason if use.corrects else ""


def _service_namer() -> Callable[[str, date, str], tuple[str, str]]:
    """(name, unit) of a service code under the programme version a use was judged by, such as
    (短期入所（ショートステイ）型, 泊); the code itself when the programme does not know it."""
    found: dict[tuple[str, date, str], tuple[str, str]] = {}

    def name(municipality_code: str, version: date, code: str) -> tuple[str, str]:
        key = (municipality_code, version, code)
        if key not in found:
            program = get_registry().get(municipality_code)
            rules = program.version_on(version) if program else None
            if rules is None or not rules.knows(code):
                found[key] = (code, "")
            else:
                unit = rules.services[rules.parent_code(code)].unit
                found[key] = (service_name(rules, code), UNIT_NAMES.get(unit, (unit,))[0])
        return found[key]

    return name


# --- facility claims ------------------------------------------------------------------------

CLAIM_HEADERS = [
    "対象月",
    "施設",
    "状態",
    "明細件数",
    "返戻件数",
    "請求額",
    "承認額",
    "提出日",
    "承認日",
]
CLAIM_MONEY = ("請求額", "承認額")


def claims(*, user: Any, date_from: date | None, date_to: date | None) -> Table:
    """委託料請求, one row per facility and month, for every month that has a day in the range
    (inclusive): 2026-04-15 to 2026-05-10 gives April's and May's claims.

    請求額 is the sum of the lines in yen; 承認額 the accepted lines, once approved (empty
    before).
    """
    first = Month.of(date_from) if date_from is not None else None
    queryset = _in_range(
        access.claims_visible_to(user)
        .select_related("facility")
        .annotate(
            line_count=Count("lines"),
            returned_count=Count("lines", filter=Q(lines__status=ClaimLine.Status.REJECTED)),
        )
        .order_by("month", "facility__name", "pk"),
        "month",
        first,
        date_to,
    )
    status = _labels(FacilityClaim.Status.choices)
    return Table(
        name="claims",
        title="委託料請求",
        headers=CLAIM_HEADERS,
        rows=_claim_rows(queryset, status),
        money=CLAIM_MONEY,
    )


def _claim_rows(queryset: QuerySet[FacilityClaim], status: dict[str, str]) -> Iterator[list]:
    for c in queryset.iterator(chunk_size=CHUNK_SIZE):
        approved = c.status == FacilityClaim.Status.APPROVED
        yield [
            Month.of(c.month),
            c.facility.name,
            status.get(c.status, c.status),
            c.line_count,
            c.returned_count,
            c.total,
            c.approved_total,
            _local_date(c.submitted_at),
            _local_date(c.reviewed_at) if approved else None,
        ]
