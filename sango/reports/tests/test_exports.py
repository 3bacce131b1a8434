"""The export tables: Japanese labels and programme names (never codes), inclusive date ranges
on the Japan-time day, one municipality per clerk, and a query count that does not grow."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sango.billing.models import FacilityClaim
from sango.core.tests import factories as f
from sango.municipalities.models import Office
from sango.reports import exports
from sango.reports.exports import Month
from sango.reports.tests.conftest import ADDRESS, KANA, NAME, claim_of, stay
from sango.usage.services import use_correct

pytestmark = pytest.mark.django_db

EXPORTS = {"applications": exports.applications, "uses": exports.uses, "claims": exports.claims}


def records(table: exports.Table) -> list[dict]:
    rows = [dict(zip(table.headers, row, strict=True)) for row in table.rows]
    assert all(len(r) == len(table.headers) for r in rows)
    return rows


def export(kind: str, user, date_from=None, date_to=None) -> list[dict]:
    return records(EXPORTS[kind](user=user, date_from=date_from, date_to=date_to))


# --- what a row says ------------------------------------------------------------------------


def test_application_row_in_japanese(world) -> None:
    a = world.soja.application
    (row,) = [r for r in export("applications", f.clerk()) if r["申請番号"] == a.pk]
    assert row == {
        "申請番号": a.pk,
        "状態": "承認",
        "受付日": date(2026, 4, 1),
        "受付方法": "窓口",
        "代理申請": "なし",
        "窓口": "",
        "担当者": a.assigned_to.username,
        "氏名": NAME,
        "フリガナ": KANA,
        "産婦の生年月日": date(1994, 5, 20),
        "郵便番号": "719-1131",
        "住所": ADDRESS,
        "電話番号": "090-0000-0000",
        "里帰り（住所地の市町村）": "",
        "出産日": date(2026, 3, 1),
        "乳児数": 1,
        "世帯の区分": "上記以外の方",
        "区分の確認方法": "市の台帳で確認",
        "決定日": timezone.localdate(a.decided_at),
        "利用期間の開始": date(2026, 3, 1),
        "利用期間の終了": a.valid_until,
        "利用券番号": world.soja.voucher.number,
    }


def test_application_shows_office_staff_name_and_temporary_return(db) -> None:
    f.load_programmes()
    staff = f.clerk(first_name="花子", last_name="窓口")
    office = Office.objects.filter(municipality__code=f.SOJA).first()
    mother = f.mother_with_baby(born=date(2026, 3, 1), twins=True)
    f.submitted_application(
        mother=mother,
        staff=staff,
        office_id=office.pk,
        residence="temporary_return",
        home_municipality="東京都世田谷区",
    )
    (row,) = export("applications", f.clerk())
    assert (row["窓口"], row["担当者"]) == (office.name, staff.get_full_name())
    assert row["担当者"] != staff.username
    assert (row["里帰り（住所地の市町村）"], row["乳児数"], row["状態"]) == (
        "東京都世田谷区",
        2,
        "受付済み",
    )
    assert (row["利用券番号"], row["決定日"], row["世帯の区分"]) == ("", None, "")


def test_use_rows_name_the_service_and_carry_yen(world) -> None:
    uses = world.soja.uses
    rows = {r["記録番号"]: r for r in export("uses", f.clerk())}
    corrected = rows[uses.corrected.pk]
    assert {k: corrected[k] for k in ("利用日", "施設", "サービス", "数量", "単位")} == {
        "利用日": date(2026, 5, 1),
        "施設": "かねこ助産院",
        "サービス": "短期入所（ショートステイ）型",
        "数量": 1,
        "単位": "泊",
    }
    # 課税世帯 短期入所: 総社市 pays 17,000 a night; 28,000 − 17,000 = 11,000 copay.
    money = ("単価", "利用料金", "市の負担額", "自己負担額", "その他の実費")
    assert [corrected[k] for k in money] == [28000, 28000, 17000, 11000, 0]
    assert (corrected["状態"], corrected["取消・訂正の理由"]) == ("記録済み", "料金の誤り")
    assert corrected["訂正元の記録番号"] == uses.first.pk
    assert (corrected["世帯の区分"], corrected["種別"]) == ("上記以外の方", "委託施設での利用")
    assert (corrected["利用券番号"], corrected["氏名"]) == (world.soja.voucher.number, NAME)
    voided = rows[uses.first.pk]
    assert (voided["状態"], voided["取消・訂正の理由"], voided["単価"]) == (
        "取消",
        "料金の誤り",
        30000,
    )
    codes = {"stay", "taxable", "recorded", "void", "facility"}
    assert not codes & {v for r in rows.values() for v in r.values() if isinstance(v, str)}


def test_use_of_a_subtype_with_its_times(world) -> None:
    rows = export("uses", f.clerk(f.KUMAMOTO))
    (day,) = [r for r in rows if r["記録番号"] == world.kumamoto.uses[1].pk]
    assert (day["サービス"], day["単位"]) == ("日帰り型 3時間型", "回")
    assert day["開始"] == datetime(2024, 5, 2, 10, 0)  # naive, Japan time
    assert day["終了"] == datetime(2024, 5, 2, 13, 0)


def test_claim_rows(world) -> None:
    rows = export("claims", f.clerk())
    assert [r["対象月"] for r in rows] == [date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1)]
    april, may, june = rows
    assert isinstance(april["対象月"], Month) and april["対象月"].label() == "2026年4月"
    assert (april["状態"], april["明細件数"], april["請求額"], april["承認額"]) == (
        "承認（確定）",
        1,
        17000,
        17000,
    )
    assert april["承認日"] == timezone.localdate() and april["返戻件数"] == 0
    # May: the corrected 1 May and 31 May; the voided original dropped out.
    assert (may["状態"], may["明細件数"], may["請求額"], may["承認額"]) == (
        "提出済み",
        2,
        34000,
        None,
    )
    assert (may["提出日"], may["承認日"]) == (timezone.localdate(), None)
    assert (june["状態"], june["提出日"], june["施設"]) == ("作成中", None, "かねこ助産院")


# --- date ranges ----------------------------------------------------------------------------


def test_application_range_is_the_japan_time_day_both_ends_included(db) -> None:
    f.load_programmes()
    received = {}
    for moment in [
        f.at(date(2026, 3, 31), 23, 30),
        f.at(date(2026, 4, 1), 0, 10),
        f.at(date(2026, 4, 30), 23, 50),
        f.at(date(2026, 5, 1), 0, 5),  # still 30 April in UTC
    ]:
        mother = f.mother_with_baby(born=date(2026, 3, 1))
        received[moment] = f.submitted_application(mother=mother, submitted_at=moment).pk
    draft = f.application_in("draft").pk
    clerk = f.clerk()
    ids = [
        r["申請番号"] for r in export("applications", clerk, date(2026, 4, 1), date(2026, 4, 30))
    ]
    assert ids == [
        received[f.at(date(2026, 4, 1), 0, 10)],
        received[f.at(date(2026, 4, 30), 23, 50)],
    ]
    since = [r["申請番号"] for r in export("applications", clerk, date(2026, 5, 1), None)]
    assert since == [received[f.at(date(2026, 5, 1), 0, 5)]]
    every = [r["申請番号"] for r in export("applications", clerk)]
    assert every == [*received.values(), draft]  # received oldest first, the draft last


def test_use_range_includes_both_ends(world) -> None:
    uses = world.soja.uses
    ids = [r["記録番号"] for r in export("uses", f.clerk(), date(2026, 5, 1), date(2026, 5, 31))]
    assert ids == [uses.first.pk, uses.corrected.pk, uses.last.pk]
    assert uses.april.pk not in ids and uses.june.pk not in ids
    until = [r["記録番号"] for r in export("uses", f.clerk(), None, date(2026, 4, 30))]
    assert until == [uses.april.pk]


def test_claim_range_takes_every_month_it_touches(world) -> None:
    months = [
        r["対象月"].label()
        for r in export("claims", f.clerk(), date(2026, 4, 15), date(2026, 5, 10))
    ]
    assert months == ["2026年4月", "2026年5月"]
    assert [
        r["対象月"] for r in export("claims", f.clerk(), date(2026, 6, 1), date(2026, 6, 1))
    ] == [date(2026, 6, 1)]
    assert export("claims", f.clerk(), date(2026, 7, 1), None) == []


# --- who sees what --------------------------------------------------------------------------


def test_a_kumamoto_clerk_exports_none_of_sojas_rows(world) -> None:
    clerk = f.clerk(f.KUMAMOTO)
    applications = export("applications", clerk)
    assert [r["申請番号"] for r in applications] == [world.kumamoto.application.pk]
    assert NAME not in {r["氏名"] for r in applications}
    uses = export("uses", clerk)
    assert [r["記録番号"] for r in uses] == [u.pk for u in world.kumamoto.uses]
    assert {r["氏名"] for r in uses} == {world.kumamoto.mother.name}
    claims = export("claims", clerk)
    assert [r["施設"] for r in claims] == ["（サンプル）中央レディースクリニック"]


def test_a_soja_clerk_exports_none_of_kumamotos_rows(world) -> None:
    clerk = f.clerk()
    names = {r["氏名"] for r in export("applications", clerk)}
    assert names == {NAME}
    assert {r["氏名"] for r in export("uses", clerk)} == {NAME}
    assert {r["施設"] for r in export("claims", clerk)} == {"かねこ助産院"}


def test_other_roles_export_through_the_same_access_rules(world) -> None:
    assert all(export(kind, f.mother_user()) == [] for kind in EXPORTS)
    kaneko = f.facility_staff("kaneko-josanin")
    assert {r["施設"] for r in export("uses", kaneko)} == {"かねこ助産院"}
    assert export("uses", f.facility_staff("tanbobo-josanin")) == []


# --- queries --------------------------------------------------------------------------------


def _applications(n: int) -> None:
    office = Office.objects.filter(municipality__code=f.SOJA).first()
    for i in range(n):
        mother = f.mother_with_baby(born=date(2026, 3, 1), twins=i % 2 == 0)
        if i % 3 == 0:
            f.approved_application(mother=mother, grants={"stay": 1})
        else:
            f.submitted_application(mother=mother, office_id=office.pk)


def _uses(n: int) -> None:
    vouchers = []
    for i in range(n):
        if i % 7 == 0:  # a voucher grants 7 nights
            mother = f.mother_with_baby(born=date(2026, 3, 1))
            vouchers.append(
                f.voucher_for(f.approved_application(mother=mother, grants={"stay": 7}))
            )
        use = stay(vouchers[-1], "kaneko-josanin", date(2026, 5, 1 + i % 7))
        if i % 5 == 4:
            use_correct(use=use, actor=f.clerk(), reason="訂正", fee=29000)


def _claims(n: int) -> None:
    for i in range(FacilityClaim.objects.count(), FacilityClaim.objects.count() + n):
        slug = "kaneko-josanin" if i % 2 else "tanbobo-josanin"
        claim_of(slug, date(2024 + i // 12, i % 12 + 1, 1))


SETUP = {"applications": _applications, "uses": _uses, "claims": _claims}


def _count_rows(kind: str, user) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        rows = export(kind, user)
    return len(rows), len(queries.captured_queries)


@pytest.mark.parametrize("kind", EXPORTS)
def test_queries_do_not_grow_with_rows(db, kind: str) -> None:
    f.load_programmes()
    clerk = f.clerk()
    SETUP[kind](1)
    rows, one = _count_rows(kind, clerk)
    assert rows == 1
    SETUP[kind](19)
    rows, many = _count_rows(kind, clerk)
    assert rows >= 20
    assert many == one
