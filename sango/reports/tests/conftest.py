"""Two cities' cases built through the real services, to export and read back.

総社市: a mother whose name has 髙 (CP932's IBM extensions) and 𠮷 (outside CP932) and whose
address has a WAVE DASH, approved on an application received on 1 April 2026; her stays at かねこ
助産院 on 30 April, 1 May (corrected), 31 May and 1 June; the April claim approved, May's
submitted, June's a draft. 熊本市: a usage card used for a stay and a 3-hour day service in
May 2024, and an application received in March 2024.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from sango.billing.models import ClaimLine
from sango.billing.services import claim_approve, claim_generate, claim_line_review, claim_submit
from sango.core.tests import factories as f
from sango.mothers.models import Infant
from sango.usage.services import use_correct, use_record
from sango.vouchers.services import usage_card_issue

NAME = "髙橋 𠮷子"
KANA = "タカハシ ヨシコ"
ADDRESS = "岡山県総社市中央1\u301c2"  # 1〜2 with U+301C WAVE DASH


def stay(voucher, slug: str, day: date, **extra):
    staff = f.facility_staff(slug)
    fields = {"service": "stay", "day": day, "quantity": 1, "fee": 30000, **extra}
    return use_record(
        voucher_id=voucher.pk,
        facility=staff.facility,
        actor=staff,
        idempotency_key=f"{slug}:{voucher.pk}:{day}:{fields['service']}",
        **fields,
    )


def claim_of(slug: str, month: date, code: str = f.SOJA):
    staff = f.facility_staff(slug)
    return claim_generate(
        facility=staff.facility, municipality=f.municipality(code), month=month, actor=staff
    ), staff


def _soja() -> SimpleNamespace:
    mother = f.MotherFactory(name=NAME, name_kana=KANA, address=ADDRESS)
    Infant.objects.create(mother=mother, birth_date=date(2026, 3, 1))
    application = f.approved_application(
        mother=mother, grants={"stay": 7}, submitted_at=f.at(date(2026, 4, 1), 9)
    )
    voucher = f.voucher_for(application)
    april, first, last, june = (
        stay(voucher, "kaneko-josanin", day)
        for day in (date(2026, 4, 30), date(2026, 5, 1), date(2026, 5, 31), date(2026, 6, 1))
    )
    corrected = use_correct(use=first, actor=f.clerk(), reason="料金の誤り", fee=28000)
    first.refresh_from_db()
    april_claim, staff = claim_of("kaneko-josanin", date(2026, 4, 1))
    claim_submit(claim=april_claim, actor=staff)
    for line in april_claim.lines.all():
        claim_line_review(line=line, actor=f.clerk(), accept=True)
    claim_approve(claim=april_claim, actor=f.approver())
    may_claim, _ = claim_of("kaneko-josanin", date(2026, 5, 1))
    claim_submit(claim=may_claim, actor=staff)
    june_claim, _ = claim_of("kaneko-josanin", date(2026, 6, 1))
    return SimpleNamespace(
        mother=mother,
        application=application,
        voucher=voucher,
        uses=SimpleNamespace(april=april, first=first, corrected=corrected, last=last, june=june),
        claims=SimpleNamespace(april=april_claim, may=may_claim, june=june_claim),
    )


def _kumamoto() -> SimpleNamespace:
    mother = f.mother_with_baby(code=f.KUMAMOTO, born=date(2024, 4, 1))
    card = usage_card_issue(
        mother=mother, actor=f.clerk(f.KUMAMOTO), tier="taxable", issued_on=date(2024, 4, 10)
    )
    slug = "sample-kumamoto-chuo-clinic"
    night = stay(card, slug, date(2024, 5, 1), fee=None)
    day = stay(
        card,
        slug,
        date(2024, 5, 2),
        service="day_3h",
        quantity=None,
        fee=None,
        start=f.at(date(2024, 5, 2), 10),
        end=f.at(date(2024, 5, 2), 13),
    )
    claim, _ = claim_of(slug, date(2024, 5, 1), code=f.KUMAMOTO)
    older = f.mother_with_baby(code=f.KUMAMOTO, born=date(2024, 2, 10))
    application = f.submitted_application(mother=older, submitted_at=f.at(date(2024, 3, 11), 10))
    return SimpleNamespace(
        mother=mother, older=older, uses=[night, day], claim=claim, application=application
    )


@pytest.fixture
def world(db) -> SimpleNamespace:
    f.load_programmes()
    world = SimpleNamespace(soja=_soja(), kumamoto=_kumamoto())
    assert world.soja.claims.april.lines.filter(status=ClaimLine.Status.ACCEPTED).count() == 1
    return world
