"""What-if (試算) over stored uses: the figures of known uses under unchanged, wider, narrower and
cheaper drafts, counted by hand; invalid drafts; and that a replay writes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.apps import apps

from sango.core.tests import factories as f
from sango.programs.whatif import (
    current_document_text,
    draft_check,
    draft_with_cap_limit,
    soja_ten_nights_draft,
    whatif_demo_draft,
    whatif_drafts_visible_to,
    whatif_run,
)
from sango.rules.errors import ProgramError
from sango.usage.models import Use
from sango.usage.services import use_record
from sango.vouchers.services import usage_card_issue

pytestmark = pytest.mark.django_db

PERIOD = {"date_from": date(2026, 4, 1), "date_to": date(2026, 9, 30)}


def _stay(voucher, staff, key: str, day: date, nights: int, service: str = "stay") -> Use:
    return use_record(
        voucher_id=voucher.pk,
        facility=staff.facility,
        actor=staff,
        idempotency_key=key,
        service=service,
        day=day,
        quantity=nights,
        fee=30000,
    )


@pytest.fixture
def uses() -> dict:
    """総社市: mother A used all 7 nights (3 + 4, taxable); mother B 2 nights and a day of day
    care (tax exempt); a 熊本市 mother's stay that a 総社市 what-if must never see."""
    f.load_programmes()
    kaneko = f.facility_staff("kaneko-josanin")
    a = f.mother_with_baby(born=date(2026, 3, 1))
    card_a = f.voucher_for(f.approved_application(mother=a, grants={"stay": 7}))
    _stay(card_a, kaneko, "a1", date(2026, 4, 1), 3)
    _stay(card_a, kaneko, "a2", date(2026, 5, 1), 4)
    b = f.mother_with_baby(born=date(2026, 4, 1))
    card_b = f.voucher_for(
        f.approved_application(mother=b, grants={"stay": 7, "day": 7}, tier="tax_exempt")
    )
    _stay(card_b, kaneko, "b1", date(2026, 5, 10), 2)
    _stay(card_b, kaneko, "b2", date(2026, 5, 20), 1, service="day")
    k = f.mother_with_baby(code=f.KUMAMOTO, born=date(2026, 3, 1))
    card_k = usage_card_issue(
        mother=k, actor=f.clerk(f.KUMAMOTO), tier="taxable", issued_on=date(2026, 3, 8)
    )
    clinic = f.facility_staff("sample-kumamoto-chuo-clinic")
    use_record(
        voucher_id=card_k.pk,
        facility=clinic.facility,
        actor=clinic,
        idempotency_key="k1",
        service="stay",
        day=date(2026, 5, 1),
        quantity=2,
    )
    return {"soja": f.municipality(f.SOJA)}


def _run(soja, text: str):
    draft = draft_check(text, municipality_code=f.SOJA)
    return whatif_run(municipality=soja, draft=draft, **PERIOD).summary


def test_unchanged_draft_gives_exactly_the_stored_figures(uses) -> None:
    summary = _run(uses["soja"], current_document_text(f.SOJA))
    stored = Use.objects.filter(municipality=uses["soja"])
    assert summary.total.uses == stored.count() == 4
    assert summary.total.subsidy_paid == sum(stored.values_list("subsidy", flat=True))
    # 3 + 4 nights taxable at 17,000円; 2 nights tax exempt at 21,500円; a day at 11,250円.
    assert summary.total.subsidy_paid == 7 * 17000 + 2 * 21500 + 11250
    assert summary.total.subsidy_change == 0 and summary.total.copay_change == 0
    assert summary.mothers == 2 and summary.mothers_refused == 0
    assert summary.headroom == ()
    names = [(row.name, row.unit) for row in summary.by_service]
    assert names == [("短期入所（ショートステイ）型", "泊"), ("通所（デイサービス）型", "日")]


def test_ten_nights_shows_the_mother_at_the_cap_and_no_change_in_money(uses) -> None:
    summary = _run(uses["soja"], soja_ten_nights_draft())
    assert summary.total.subsidy_change == 0
    [headroom] = summary.headroom
    # Mother A had used all 7 nights: the draft would have allowed her 3 more.
    assert (headroom.name, headroom.mothers, headroom.units, headroom.unit) == (
        "短期入所（ショートステイ）型",
        1,
        3,
        "泊",
    )


def test_five_nights_refuses_the_stay_beyond_them(uses) -> None:
    text = draft_with_cap_limit(current_document_text(f.SOJA), cap="stay", limit=5)
    summary = _run(uses["soja"], text)
    # A's second stay (4 nights with 2 left) is refused; her approval granted the full cap.
    assert summary.total.refused == 1 and summary.mothers_refused == 1
    assert summary.total.subsidy_change == -4 * 17000
    assert summary.total.copay_change == 4 * 17000
    [reason] = summary.reasons
    assert (reason.kind, reason.words, reason.uses, reason.mother_count) == (
        "cap",
        "短期入所（ショートステイ）型",
        1,
        1,
    )


def test_a_lower_share_changes_its_tier_only(uses) -> None:
    text = current_document_text(f.SOJA).replace(
        "taxable: {stay: 17000, day: 7000, visit: 3500}",
        "taxable: {stay: 15000, day: 7000, visit: 3500}",
    )
    summary = _run(uses["soja"], text)
    tiers = {row.name: row.sums for row in summary.by_tier}
    assert tiers["上記以外の方"].subsidy_change == -7 * 2000
    assert tiers["上記以外の方"].copay_change == 7 * 2000
    assert tiers["市民税非課税世帯"].subsidy_change == 0
    assert summary.mothers_pay_more == 1 and summary.mothers_pay_less == 0


def test_an_invalid_draft_names_its_lines_and_nothing_is_replayed() -> None:
    f.load_programmes()
    text = current_document_text(f.SOJA).replace(
        "limit: 7, services: [stay]", "limit: -1, services: [stay]"
    )
    with pytest.raises(ProgramError) as invalid:
        draft_check(text, municipality_code=f.SOJA)
    [problem] = invalid.value.problems
    line = text.splitlines().index(next(t for t in text.splitlines() if "limit: -1" in t)) + 1
    assert problem.field.startswith(f"{line}行目 versions.1.caps.0.limit")
    with pytest.raises(ProgramError) as broken:
        draft_check("versions: [\n", municipality_code=f.SOJA)
    assert "行目" in broken.value.problems[0].field


def test_a_draft_of_another_municipality_is_refused() -> None:
    f.load_programmes()
    with pytest.raises(ProgramError) as other:
        draft_check(current_document_text(f.KUMAMOTO), municipality_code=f.SOJA)
    assert "総社市（332089）の制度文書で試算してください" in other.value.problems[0].message


def test_a_replay_writes_nothing(uses) -> None:
    models = [m for m in apps.get_models() if m._meta.managed]
    before = {m: m.objects.count() for m in models}
    stored = list(Use.objects.order_by("pk").values())
    _run(uses["soja"], draft_with_cap_limit(current_document_text(f.SOJA), cap="stay", limit=5))
    assert {m: m.objects.count() for m in models} == before
    assert list(Use.objects.order_by("pk").values()) == stored


def test_the_prepared_demo_draft_changes_only_the_current_stay_cap() -> None:
    f.load_programmes()
    draft = draft_check(soja_ten_nights_draft(), municipality_code=f.SOJA)
    older, current = draft.versions
    assert {c.code: c.limit for c in current.caps} == {"stay": 10, "day": 7, "visit": 7}
    assert {c.code: c.limit for c in older.caps} == {"stay": 5, "day": 5, "visit": 5}
    assert "# 総社市 産後ケア事業" in soja_ten_nights_draft()  # comments kept


def test_the_demo_draft_is_kept_for_the_municipality() -> None:
    f.load_programmes()
    clerk = f.clerk()
    draft = whatif_demo_draft(actor=clerk)
    assert (draft.municipality.code, draft.name) == (f.SOJA, "宿泊を10泊に（案）")
    assert list(whatif_drafts_visible_to(clerk)) == [draft]
    assert list(whatif_drafts_visible_to(f.clerk(f.KUMAMOTO))) == []
