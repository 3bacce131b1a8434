"""Reading a claim line by line: services named by the version that judged each use."""

from datetime import date

import pytest

from sango.billing.models import ClaimLine
from sango.billing.selectors import claim_lines_for, line_totals
from sango.billing.services import claim_generate, claim_line_review, claim_submit
from sango.core.tests import factories as f
from sango.usage.services import use_record

pytestmark = pytest.mark.django_db


def test_lines_come_in_day_order_with_the_programmes_names_and_units(
    django_assert_num_queries,
) -> None:
    f.load_programmes()
    staff = f.facility_staff("kaneko-josanin")
    voucher = f.voucher_for(
        f.approved_application(
            mother=f.mother_with_baby(born=date(2026, 4, 1)), grants={"stay": 7, "visit": 7}
        )
    )
    for key, service, day in (("b", "visit", 12), ("a", "stay", 10)):
        use_record(
            voucher_id=voucher.pk,
            facility=staff.facility,
            actor=staff,
            idempotency_key=key,
            service=service,
            day=date(2026, 5, day),
            quantity=1,
            fee=20000,
        )
    claim = claim_generate(
        facility=staff.facility, municipality=f.municipality(), month=date(2026, 5, 1), actor=staff
    )
    claim = type(claim).objects.select_related("municipality").get(pk=claim.pk)
    with django_assert_num_queries(1):
        lines = claim_lines_for(claim)
        names = [(line.service_name, line.unit, line.use.voucher.mother.name) for line in lines]
    assert [n[:2] for n in names] == [
        ("短期入所（ショートステイ）型", "night"),
        ("居宅訪問（アウトリーチ）型", "visit"),
    ]
    claim_submit(claim=claim, actor=staff)
    claim_line_review(line=lines[1], actor=f.clerk(), accept=False, reason=3)
    totals = line_totals(claim_lines_for(claim))
    assert totals == {
        ClaimLine.Status.PENDING: 17000,
        ClaimLine.Status.ACCEPTED: 0,
        ClaimLine.Status.REJECTED: 3500,
    }
