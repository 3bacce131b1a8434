"""/api/reimbursements/: out-of-area reimbursement claimed by the mother (or staff for her),
decided by the approver and counted against the same caps as any use."""

import pytest

from sango.api.tests.helpers import (
    assert_forbidden,
    assert_not_found,
    assert_unauthenticated,
    errors_of,
    fields_of,
)
from sango.core.tests import factories as f
from sango.reimbursements.models import Reimbursement
from sango.reimbursements.services import reimbursement_submit

URL = "/api/reimbursements/"


def receipt(voucher, **extra) -> dict:
    return {
        "voucher": voucher.pk,
        "facility_name": "東京母子ケアハウス",
        "facility_address": "東京都（県外）",
        "service": "stay",
        "day": f.days_ago(5).isoformat(),
        "quantity": 1,
        "amount_paid": 40000,
        "receipt_number": "R-1",
        **extra,
    }


def submitted(voucher, **extra) -> Reimbursement:
    data = {**receipt(voucher), "day": f.days_ago(5), **extra}
    data.pop("voucher")
    return reimbursement_submit(voucher=voucher, actor=f.clerk(), **data)


def test_a_mother_claims_for_her_own_voucher(api, mother_user, voucher) -> None:
    response = api(mother_user).post(URL, receipt(voucher))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["status_display"]) == ("submitted", "受付済み")
    assert body["amount_paid"] == 40000 and body["amount"] is None
    assert body["voucher_number"] == voucher.number


def test_staff_claim_for_her(api, clerk, voucher) -> None:
    assert api(clerk).post(URL, receipt(voucher)).status_code == 201


def test_create_names_the_fields_at_fault(api, mother_user, voucher) -> None:
    data = receipt(voucher, amount_paid=0, quantity=0)
    del data["facility_name"], data["day"]
    assert fields_of(api(mother_user).post(URL, data)) == {
        "facility_name": "required",
        "amount_paid": "min_value",
        "quantity": "min_value",
    }
    data = receipt(voucher)
    del data["day"]
    assert fields_of(api(mother_user).post(URL, data)) == {"day": "required"}
    # 総社市 reimburses uses from 令和7年4月 only.
    response = api(mother_user).post(URL, receipt(voucher, day="2025-03-31"))
    assert fields_of(response) == {"day": "invalid"}


def test_someone_elses_voucher_reads_as_unknown(api, voucher, other_mother_user, other_clerk):
    for user in (other_mother_user, other_clerk):
        assert fields_of(api(user).post(URL, receipt(voucher))) == {"voucher": "does_not_exist"}


def test_facilities_do_not_claim(api, kaneko, voucher) -> None:
    assert_forbidden(api(kaneko).post(URL, receipt(voucher)))


def test_the_approver_pays_the_programme_share(api, boss, voucher) -> None:
    claim = submitted(voucher)
    response = api(boss).post(f"{URL}{claim.pk}/approve/")
    assert response.status_code == 200, response.json()
    body = response.json()
    # 課税世帯 短期入所 17,000 yen < 40,000 paid.
    assert (body["status_display"], body["amount"]) == ("支給決定", 17000)
    assert body["use"] is not None
    again = api(boss).post(f"{URL}{claim.pk}/approve/")
    assert [e["code"] for e in errors_of(again, 409)] == ["invalid_state"]


def test_beyond_the_grant_is_refused_with_the_reason(api, boss, voucher) -> None:
    claim = submitted(voucher, quantity=4, amount_paid=120000)  # 3 nights granted
    response = api(boss).post(f"{URL}{claim.pk}/approve/")
    assert [e["code"] for e in errors_of(response, 422)] == ["cap_reached"]


def test_reject_needs_a_reason(api, boss, voucher) -> None:
    claim = submitted(voucher)
    url = f"{URL}{claim.pk}/reject/"
    assert fields_of(api(boss).post(url, {})) == {"reason": "required"}
    response = api(boss).post(url, {"reason": "領収書の不備"})
    assert response.status_code == 200 and response.json()["status_display"] == "不支給"


def test_only_the_approver_decides(api, clerk, mother_user, kaneko, other_boss, voucher) -> None:
    claim = submitted(voucher)
    for user in (clerk, mother_user, kaneko):
        assert_forbidden(api(user).post(f"{URL}{claim.pk}/approve/"))
        assert_forbidden(api(user).post(f"{URL}{claim.pk}/reject/", {"reason": "x"}))
    assert_not_found(api(other_boss).post(f"{URL}{claim.pk}/approve/"))


def test_lists_are_scoped(api, clerk, mother_user, other_mother_user, kaneko, voucher) -> None:
    claim = submitted(voucher)
    assert [r["id"] for r in api(mother_user).get(URL).json()["results"]] == [claim.pk]
    assert [r["id"] for r in api(clerk).get(URL).json()["results"]] == [claim.pk]
    assert api(other_mother_user).get(URL).json()["count"] == 0
    assert api(kaneko).get(URL).json()["count"] == 0
    assert_not_found(api(other_mother_user).get(f"{URL}{claim.pk}/"))
    assert api(mother_user).get(f"{URL}{claim.pk}/").status_code == 200


@pytest.mark.parametrize(
    "method, path",
    [("get", ""), ("post", ""), ("get", "1/"), ("post", "1/approve/"), ("post", "1/reject/")],
)
def test_anonymous_is_refused(api, method, path) -> None:
    assert_unauthenticated(getattr(api(None), method)(f"{URL}{path}"))
