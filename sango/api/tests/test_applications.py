"""/api/applications/: the case from draft to decision, each step one action."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sango.api.tests.helpers import (
    assert_forbidden,
    assert_not_found,
    assert_unauthenticated,
    errors_of,
    fields_of,
)
from sango.applications.models import Application, Decision
from sango.applications.services import application_create, application_submit
from sango.core.tests import factories as f
from sango.vouchers.models import Voucher

URL = "/api/applications/"


def draft(mother=None, staff=None) -> Application:
    mother = mother or f.mother_with_baby(born=f.days_ago(20))
    return application_create(actor=staff or f.clerk(), mother=mother)


def submitted(mother=None) -> Application:
    application = draft(mother)
    application_submit(application=application, actor=f.clerk(), channel="in_person")
    return application


def post(client, pk, step, data=None):
    return client.post(f"{URL}{pk}/{step}/", data or {}, format="json")


# --- create, list, retrieve -------------------------------------------------------------------


def test_staff_create_a_draft(api, clerk) -> None:
    mother = f.mother_with_baby(born=f.days_ago(20))
    response = api(clerk).post(URL, {"mother": mother.pk, "needs": ["support_needed"]})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["status_display"]) == ("draft", "下書き")
    assert body["mother"] == {"id": mother.pk, "name": mother.name}
    assert body["needs"] == ["support_needed"] and body["voucher"] is None
    assert body["interviews"] == [] and body["decisions"] == []


def test_a_mother_creates_her_own_draft(api, mother_user) -> None:
    response = api(mother_user).post(URL, {"mother": mother_user.mother.pk})
    assert response.status_code == 201
    assert Application.objects.get(pk=response.json()["id"]).created_by == mother_user


def test_create_names_the_fields_at_fault(api, clerk) -> None:
    response = api(clerk).post(
        URL, {"residence": "abroad", "requested": {"stay": 0}, "needs": "support_needed"}
    )
    assert fields_of(response) == {
        "mother": "required",
        "residence": "invalid_choice",
        "requested.stay": "min_value",
        "needs": "not_a_list",
    }


def test_temporary_return_needs_the_home_municipality(api, clerk) -> None:
    mother = f.mother_with_baby(born=f.days_ago(20))
    response = api(clerk).post(URL, {"mother": mother.pk, "residence": "temporary_return"})
    assert fields_of(response) == {"home_municipality": "invalid"}


def test_another_municipalitys_mother_reads_as_unknown(api, other_clerk, mother_user) -> None:
    response = api(other_clerk).post(URL, {"mother": mother_user.mother.pk})
    assert fields_of(response) == {"mother": "does_not_exist"}
    response = api(mother_user).post(URL, {"mother": f.mother_with_baby(born=f.days_ago(9)).pk})
    assert fields_of(response) == {"mother": "does_not_exist"}


def test_office_must_belong_to_the_mothers_municipality(api, clerk) -> None:
    mother = f.mother_with_baby(born=f.days_ago(20))
    office = f.municipality(f.KUMAMOTO).offices.first()
    response = api(clerk).post(URL, {"mother": mother.pk, "office": office.pk})
    assert fields_of(response) == {"office": "invalid"}


def test_facility_staff_cannot_create(api, kaneko) -> None:
    mother = f.mother_with_baby(born=f.days_ago(20))
    assert_forbidden(api(kaneko).post(URL, {"mother": mother.pk}))


def test_list_is_scoped_and_filtered(api, clerk, other_clerk, mother_user) -> None:
    mine = draft(mother_user.mother)
    sent = submitted()
    draft(f.mother_with_baby(code=f.KUMAMOTO, born=f.days_ago(20)), staff=other_clerk)
    ids = [a["id"] for a in api(clerk).get(URL).json()["results"]]
    assert sorted(ids) == sorted([mine.pk, sent.pk])
    filtered = api(clerk).get(URL, {"status": "submitted"}).json()["results"]
    assert [a["id"] for a in filtered] == [sent.pk]
    assert filtered[0]["status_display"] == "受付済み"
    assert [a["id"] for a in api(mother_user).get(URL).json()["results"]] == [mine.pk]
    assert api(other_clerk).get(URL, {"status": "submitted"}).json()["count"] == 0


def test_list_rejects_an_unknown_status(api, clerk) -> None:
    assert fields_of(api(clerk).get(URL, {"status": "lost"})) == {"status": "invalid_choice"}


def test_retrieve_is_404_for_anyone_else(api, other_clerk, kaneko, other_mother_user) -> None:
    application = draft()
    for user in (other_clerk, kaneko, other_mother_user):
        assert_not_found(api(user).get(f"{URL}{application.pk}/"))
    assert_not_found(api(f.clerk()).get(f"{URL}{application.pk + 1000}/"))


def test_list_queries_do_not_grow(api, clerk, django_assert_max_num_queries) -> None:
    draft()
    with CaptureQueriesContext(connection) as one:
        assert api(clerk).get(URL).json()["count"] == 1
    for _ in range(9):
        draft()
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert api(clerk).get(URL).json()["count"] == 10


# --- the steps ------------------------------------------------------------------------------


def test_the_whole_process(api, clerk, boss) -> None:
    mother = f.mother_with_baby(born=f.days_ago(20))
    staff = api(clerk)
    pk = staff.post(URL, {"mother": mother.pk}).json()["id"]
    assert post(staff, pk, "submit", {"channel": "in_person"}).json()["status"] == "submitted"
    tier = post(staff, pk, "verify-tier", {"tier": "tax_exempt", "basis": "ledger"}).json()
    assert (tier["tier"], tier["tier_display"], tier["tier_basis_display"]) == (
        "tax_exempt",
        "市民税非課税世帯",
        "市の台帳で確認",
    )
    interview = {
        "conducted_at": timezone.now().isoformat(),
        "method": "phone",
        "needs_found": ["support_needed"],
    }
    assert post(staff, pk, "interview", interview).json()["status"] == "interviewed"
    response = post(api(boss), pk, "approve", {"grants": {"stay": 3}})
    assert response.status_code == 200, response.json()
    case = response.json()
    assert (case["status"], case["status_display"]) == ("approved", "承認")
    assert case["grants"] == [{"cap": "stay", "quantity": 3}]
    assert case["interviews"][0]["method_display"] == "電話"
    [decision] = case["decisions"]
    assert decision["kind_display"] == "利用承認" and "年度 第" in decision["number"]
    assert case["voucher"]["number"] == Voucher.objects.get(application_id=pk).number
    assert case["valid_from"] <= case["valid_until"]


def test_a_double_clicked_approve_decides_once(api, boss) -> None:
    application = submitted()
    client = api(f.clerk())
    post(client, application.pk, "verify-tier", {"tier": "taxable", "basis": "ledger"})
    post(
        client,
        application.pk,
        "interview",
        {
            "conducted_at": timezone.now().isoformat(),
            "method": "phone",
            "needs_found": ["support_needed"],
        },
    )
    first = post(api(boss), application.pk, "approve", {"grants": {"stay": 2}})
    second = post(api(boss), application.pk, "approve", {"grants": {"stay": 2}})
    assert first.status_code == 200
    assert [e["code"] for e in errors_of(second, 409)] == ["invalid_state"]
    assert Decision.objects.filter(application=application).count() == 1
    assert Voucher.objects.filter(application=application).count() == 1


def test_approve_checks_its_input(api, boss) -> None:
    application = submitted()
    client = api(boss)
    assert fields_of(post(client, application.pk, "approve", {})) == {"grants": "required"}
    assert fields_of(post(client, application.pk, "approve", {"grants": {}})) == {"grants": "empty"}
    response = post(client, application.pk, "approve", {"grants": {"stay": 0}})
    assert fields_of(response) == {"grants.stay": "min_value"}
    bad_dates = {"grants": {"stay": 1}, "valid_from": "2026-05-01", "valid_until": "2026-04-01"}
    assert fields_of(post(client, application.pk, "approve", bad_dates)) == {
        "valid_until": "invalid"
    }


def test_approve_before_the_interview_is_an_invalid_state(api, boss) -> None:
    response = post(api(boss), submitted().pk, "approve", {"grants": {"stay": 1}})
    assert [e["code"] for e in errors_of(response, 409)] == ["invalid_state"]


def test_only_the_approver_decides(api, clerk, mother_user, kaneko) -> None:
    application = submitted(mother_user.mother)
    for user in (clerk, mother_user, kaneko):
        assert_forbidden(post(api(user), application.pk, "approve", {"grants": {"stay": 1}}))
        assert_forbidden(post(api(user), application.pk, "reject", {"reason": "不要"}))
    assert not Decision.objects.exists()


def test_another_municipalitys_approver_gets_404(api, other_boss) -> None:
    application = submitted()
    assert_not_found(post(api(other_boss), application.pk, "approve", {"grants": {"stay": 1}}))
    assert_not_found(post(api(other_boss), application.pk, "reject", {"reason": "不要"}))


def test_reject_needs_a_reason(api, boss) -> None:
    application = submitted()
    assert fields_of(post(api(boss), application.pk, "reject", {"reason": "  "})) == {
        "reason": "blank"
    }
    response = post(api(boss), application.pk, "reject", {"reason": "対象外のため"})
    assert response.status_code == 200
    body = response.json()
    assert body["status_display"] == "不承認" and body["rejection_reason"] == "対象外のため"
    assert body["decisions"][0]["kind"] == "rejection"


def test_submit_checks_channel_and_state(api, clerk) -> None:
    application = draft()
    client = api(clerk)
    assert fields_of(post(client, application.pk, "submit", {"channel": "fax"})) == {
        "channel": "invalid_choice"
    }
    # 総社市 takes applications at the counter only.
    response = post(client, application.pk, "submit", {"channel": "post"})
    assert fields_of(response) == {"channel": "invalid"}
    assert post(client, application.pk, "submit", {"channel": "in_person"}).status_code == 200
    again = post(client, application.pk, "submit", {"channel": "in_person"})
    assert [e["code"] for e in errors_of(again, 409)] == ["invalid_state"]


def test_interview_checks_its_input(api, clerk) -> None:
    application = submitted()
    response = post(api(clerk), application.pk, "interview", {"method": "letter"})
    assert fields_of(response) == {"conducted_at": "required", "method": "invalid_choice"}
    unknown = {
        "conducted_at": timezone.now().isoformat(),
        "method": "phone",
        "needs_found": ["tired"],
    }
    assert fields_of(post(api(clerk), application.pk, "interview", unknown)) == {
        "needs_found": "invalid"
    }


def test_verify_tier_checks_the_programmes_tiers(api, clerk) -> None:
    application = submitted()
    response = post(api(clerk), application.pk, "verify-tier", {"tier": "rich", "basis": "guess"})
    assert fields_of(response) == {"basis": "invalid_choice"}
    response = post(api(clerk), application.pk, "verify-tier", {"tier": "rich", "basis": "ledger"})
    assert fields_of(response) == {"tier": "invalid"}


@pytest.mark.parametrize("step", ["interview", "verify-tier"])
def test_staff_steps_are_not_for_mothers_or_facilities(api, mother_user, kaneko, step) -> None:
    application = draft(mother_user.mother)
    assert_forbidden(post(api(mother_user), application.pk, step, {"tier": "taxable"}))
    assert_forbidden(post(api(kaneko), application.pk, step, {"tier": "taxable"}))


def test_a_mother_submits_her_own_only_online(api, mother_user, kaneko) -> None:
    application = draft(mother_user.mother)
    client = api(mother_user)
    # At the counter it is the staff who take the application.
    at_counter = post(client, application.pk, "submit", {"channel": "in_person"})
    assert_forbidden(at_counter, code="forbidden")
    # 総社市 takes no online applications.
    online = post(client, application.pk, "submit", {"channel": "online"})
    assert fields_of(online) == {"channel": "invalid"}
    assert_forbidden(post(api(kaneko), application.pk, "submit", {"channel": "in_person"}))


def test_staff_steps_on_another_municipality_are_404(api, other_clerk) -> None:
    application = draft()
    for step in ("submit", "interview", "verify-tier"):
        assert_not_found(post(api(other_clerk), application.pk, step, {"channel": "in_person"}))


# --- audit trail of the case ------------------------------------------------------------------


def test_audit_trail_of_the_case(api, case, clerk) -> None:
    response = api(clerk).get(f"{URL}{case.pk}/audit/")
    assert response.status_code == 200
    actions = [e["action"] for e in response.json()["results"]]
    assert actions[0] == "application.create" and "application.approve" in actions
    assert "voucher.issue" in actions


def test_audit_trail_is_for_staff_only(api, case, mother_user, kaneko, other_clerk) -> None:
    assert_forbidden(api(mother_user).get(f"{URL}{case.pk}/audit/"))
    assert_forbidden(api(kaneko).get(f"{URL}{case.pk}/audit/"))
    assert_not_found(api(other_clerk).get(f"{URL}{case.pk}/audit/"))


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", ""),
        ("post", ""),
        ("get", "1/"),
        ("post", "1/submit/"),
        ("post", "1/interview/"),
        ("post", "1/verify-tier/"),
        ("post", "1/approve/"),
        ("post", "1/reject/"),
        ("get", "1/audit/"),
    ],
)
def test_anonymous_is_refused(api, method, path) -> None:
    assert_unauthenticated(getattr(api(None), method)(f"{URL}{path}"))
