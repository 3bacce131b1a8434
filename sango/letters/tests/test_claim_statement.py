"""請求書, read back as the municipality's clerk reads it: to whom (総社市長 様), from which
facility (name, address, telephone), for which month in 和暦, each line, the total with its
separators, the bank box, and the fonts travelling with the file."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from sango.billing.models import RejectionReason
from sango.billing.services import (
    claim_approve,
    claim_generate,
    claim_line_review,
    claim_submit,
)
from sango.core.tests import factories as f
from sango.core.wareki import wareki
from sango.letters.claims import claim_statement_pdf, statement_for
from sango.letters.tests.reading import fonts, pages_text, save
from sango.usage.services import use_record

MAY = date(2026, 5, 1)


def may_claim(nights: int = 3, *, slug: str = "kaneko-josanin"):
    """``nights`` one-night stays in May 2026 at ``slug`` for a 総社市 mother (課税世帯)."""
    staff = f.facility_staff(slug)
    mother = f.mother_with_baby(born=date(2026, 4, 10))
    voucher = f.voucher_for(f.approved_application(mother=mother, grants={"stay": 7}))
    for n in range(nights):
        use_record(
            voucher_id=voucher.pk,
            facility=staff.facility,
            actor=staff,
            idempotency_key=f"may-{n}",
            service="stay",
            day=date(2026, 5, 10 + n),
            quantity=1,
            fee=30000,
        )
    claim = claim_generate(
        facility=staff.facility, municipality=f.municipality(), month=MAY, actor=staff
    )
    return claim, staff, mother


def test_the_statement_names_the_city_the_facility_the_month_and_the_total() -> None:
    claim, staff, mother = may_claim(3)
    claim = claim_submit(claim=claim, actor=staff)
    pdf = claim_statement_pdf(claim)
    save(pdf, "claim-statement")
    pages = pages_text(pdf)
    assert len(pages) == 1
    text = pages[0]
    for expected in (
        "委託料請求書",
        "総社市",
        "総社市長様",
        "かねこ助産院",
        "倉敷市広江8-18-1",
        "086-456-8722",
        "令和8年5月分",
        "51,000円",  # 3 nights × 17,000円 (上記以外の方)
        "17,000円",
        "30,000円",
        "短期入所（ショートステイ）型",
        mother.name.replace(" ", ""),
        "令和8年5月10日",
        "振込先",
        "登録された口座",
        "振込先口座は別途届出のとおり",
    ):
        assert expected in text, expected
    assert "提出前の控え" not in text
    submitted_on = wareki(timezone.localtime(claim.submitted_at).date())
    assert f"請求日{submitted_on}" in text


def test_its_fonts_are_embedded() -> None:
    claim, _, _ = may_claim(1)
    found = fonts(claim_statement_pdf(claim))
    assert any("Noto-Sans-CJK-JP" in name for name in found), found
    assert all(found.values()), found


def test_a_draft_prints_as_a_copy_dated_today() -> None:
    claim, _, _ = may_claim(1)
    statement = statement_for(claim, today=date(2026, 6, 3))
    assert statement.draft and statement.issued_on == "令和8年6月3日"
    assert statement.addressee == "総社市長 様" and statement.month == "令和8年5月"
    assert "提出前の控え" in pages_text(claim_statement_pdf(claim))[0]


def test_an_approved_claim_shows_each_lines_review_and_the_approved_amount() -> None:
    claim, staff, _ = may_claim(2)
    claim_submit(claim=claim, actor=staff)
    first, second = claim.lines.order_by("use__day", "pk")
    claim_line_review(line=first, actor=f.clerk(), accept=True)
    claim_line_review(line=second, actor=f.clerk(), accept=False, reason=RejectionReason.OVER_CAP)
    claim = claim_approve(claim=claim, actor=f.approver())
    pdf = claim_statement_pdf(claim)
    save(pdf, "claim-statement-approved")
    text = pages_text(pdf)[0]
    assert "承認額17,000円" in text and "返戻17,000円" in text
    assert "34,000円" in text  # what was claimed


@pytest.mark.parametrize("nights", [40])
def test_many_lines_run_onto_more_pages_with_the_total_at_the_end(nights) -> None:
    staff = f.facility_staff("kaneko-josanin")
    for start in range(0, nights, 5):
        mother = f.mother_with_baby(born=date(2026, 4, 10))
        voucher = f.voucher_for(f.approved_application(mother=mother, grants={"stay": 7}))
        for n in range(5):
            use_record(
                voucher_id=voucher.pk,
                facility=staff.facility,
                actor=staff,
                idempotency_key=f"{voucher.pk}-{n}",
                service="stay",
                day=date(2026, 5, 1 + (start + n) % 28),
                quantity=1,
                fee=30000,
            )
    claim = claim_generate(
        facility=staff.facility, municipality=f.municipality(), month=MAY, actor=staff
    )
    pdf = claim_statement_pdf(claim)
    save(pdf, "claim-statement-long")
    pages = pages_text(pdf)
    assert len(pages) >= 2
    assert "".join(pages).count("680,000円") == 2  # 40 × 17,000円: the large total, the last row
    assert "680,000円" in pages[-1]
    assert "振込先口座は別途届出のとおり" in pages[-1]
