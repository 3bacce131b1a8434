"""/api/change-requests/: changing or stopping an approved application; the approver decides."""

import pytest

from sango.api.tests.helpers import (
    assert_forbidden,
    assert_not_found,
    assert_unauthenticated,
    errors_of,
    fields_of,
)
from sango.applications.changes import change_request_submit
from sango.applications.models import Application, ChangeRequest, Decision
from sango.core.tests import factories as f

URL = "/api/change-requests/"


def pending(case, **extra) -> ChangeRequest:
    fields = {"kind": "change", "grants": {"stay": 5}, **extra}
    return change_request_submit(application=case, actor=f.clerk(), **fields)


def test_a_mother_asks_for_more_nights(api, case, mother_user) -> None:
    data = {"application": case.pk, "kind": "change", "grants": {"stay": 5}, "reason": "延長"}
    response = api(mother_user).post(URL, data)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind_display"], body["status_display"]) == ("変更", "受付済み")
    assert body["grants"] == {"stay": 5} and body["application"] == case.pk


def test_staff_ask_for_a_cancellation(api, case, clerk) -> None:
    response = api(clerk).post(URL, {"application": case.pk, "kind": "cancel"})
    assert response.status_code == 201 and response.json()["kind"] == "cancel"


def test_create_names_the_fields_at_fault(api, case, clerk) -> None:
    response = api(clerk).post(URL, {"grants": {"stay": 0}, "valid_until": "someday"})
    assert fields_of(response) == {
        "application": "required",
        "kind": "required",
        "grants.stay": "min_value",
        "valid_until": "invalid",
    }
    empty_change = api(clerk).post(URL, {"application": case.pk, "kind": "change"})
    assert fields_of(empty_change) == {"grants": "invalid"}


def test_only_approved_applications_and_one_at_a_time(api, case, clerk) -> None:
    draft = Application.objects.create(
        municipality=case.municipality, mother=case.mother, created_by=clerk
    )
    response = api(clerk).post(URL, {"application": draft.pk, "kind": "cancel"})
    assert [e["code"] for e in errors_of(response, 409)] == ["invalid_state"]
    pending(case)
    response = api(clerk).post(URL, {"application": case.pk, "kind": "cancel"})
    assert [e["code"] for e in errors_of(response, 409)] == ["invalid_state"]


def test_others_applications_read_as_unknown(api, case, other_clerk, other_mother_user) -> None:
    for user in (other_clerk, other_mother_user):
        response = api(user).post(URL, {"application": case.pk, "kind": "cancel"})
        assert fields_of(response) == {"application": "does_not_exist"}


def test_facility_staff_cannot_ask(api, case, kaneko) -> None:
    assert_forbidden(api(kaneko).post(URL, {"application": case.pk, "kind": "cancel"}))


def test_the_approver_approves_a_change(api, case, boss) -> None:
    change = pending(case)
    response = api(boss).post(f"{URL}{change.pk}/decide/", {"approve": True})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["change_request"]["status_display"] == "承認"
    assert body["decision"]["kind_display"] == "利用変更承認"
    assert case.grants.get(cap="stay").quantity == 5


def test_a_cancellation_stops_the_voucher(api, case, boss, voucher) -> None:
    change = pending(case, kind="cancel", grants=None)
    assert api(boss).post(f"{URL}{change.pk}/decide/", {"approve": True}).status_code == 200
    voucher.refresh_from_db()
    assert voucher.status == voucher.Status.CANCELLED


def test_rejection_needs_a_reason_and_decides_once(api, case, boss) -> None:
    change = pending(case)
    url = f"{URL}{change.pk}/decide/"
    assert fields_of(api(boss).post(url, {})) == {"approve": "required"}
    assert fields_of(api(boss).post(url, {"approve": False})) == {"reason": "invalid"}
    response = api(boss).post(url, {"approve": False, "reason": "必要性が確認できません"})
    assert response.status_code == 200
    assert response.json()["decision"] is None
    assert response.json()["change_request"]["status"] == "rejected"
    again = api(boss).post(url, {"approve": True})
    assert [e["code"] for e in errors_of(again, 409)] == ["invalid_state"]
    assert not Decision.objects.filter(kind=Decision.Kind.CHANGE).exists()


def test_only_the_approver_decides(api, case, clerk, mother_user, kaneko, other_boss) -> None:
    change = pending(case)
    url = f"{URL}{change.pk}/decide/"
    for user in (clerk, mother_user, kaneko):
        assert_forbidden(api(user).post(url, {"approve": True}))
    assert_not_found(api(other_boss).post(url, {"approve": True}))
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.SUBMITTED


def test_list_and_retrieve_are_scoped(api, case, mother_user, other_mother_user, kaneko) -> None:
    change = pending(case)
    assert [c["id"] for c in api(mother_user).get(URL).json()["results"]] == [change.pk]
    assert api(mother_user).get(f"{URL}{change.pk}/").status_code == 200
    assert api(other_mother_user).get(URL).json()["count"] == 0
    assert_not_found(api(other_mother_user).get(f"{URL}{change.pk}/"))
    assert_not_found(api(kaneko).get(f"{URL}{change.pk}/"))


@pytest.mark.parametrize(
    "method, path", [("get", ""), ("post", ""), ("get", "1/"), ("post", "1/decide/")]
)
def test_anonymous_is_refused(api, method, path) -> None:
    assert_unauthenticated(getattr(api(None), method)(f"{URL}{path}"))
