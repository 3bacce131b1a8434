"""/api/claims/: a facility's monthly claim, generated and submitted by the facility, reviewed
line by line and approved (or returned) by the municipality."""

import pytest

from sango.api.tests.helpers import (
    assert_forbidden,
    assert_not_found,
    assert_unauthenticated,
    errors_of,
    fields_of,
)
from sango.billing.services import claim_generate, claim_submit
from sango.core.tests import factories as f
from sango.usage.services import use_record

URL = "/api/claims/"
GENERATE = f"{URL}generate/"


@pytest.fixture
def month(voucher, kaneko):
    """The month of yesterday, with a night and a day of care at かねこ助産院."""
    day = f.days_ago(1)
    for key, service, fee in (("n", "stay", 30000), ("d", "day", 10000)):
        use_record(
            voucher_id=voucher.pk,
            facility=kaneko.facility,
            actor=kaneko,
            idempotency_key=key,
            service=service,
            day=day,
            quantity=1,
            fee=fee,
        )
    return day.replace(day=1)


@pytest.fixture
def claim(month, kaneko):
    return claim_generate(
        facility=kaneko.facility, municipality=f.municipality(), month=month, actor=kaneko
    )


@pytest.fixture
def submitted(claim, kaneko):
    return claim_submit(claim=claim, actor=kaneko)


def test_a_facility_generates_the_months_claim(api, kaneko, month) -> None:
    response = api(kaneko).post(GENERATE, {"month": f"{month:%Y-%m}", "municipality": f.SOJA})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status_display"], body["month"]) == ("作成中", month.isoformat())
    # 課税世帯: 17,000 for the night and 7,000 for the day.
    assert body["total"] == 24000 and len(body["lines"]) == 2
    assert {line["service"] for line in body["lines"]} == {"stay", "day"}


def test_generate_names_the_fields_at_fault(api, kaneko) -> None:
    assert fields_of(api(kaneko).post(GENERATE, {"month": "May"})) == {
        "month": "invalid",
        "municipality": "required",
    }
    response = api(kaneko).post(GENERATE, {"month": "2026-05", "municipality": "999999"})
    assert fields_of(response) == {"municipality": "does_not_exist"}
    # くにとみクリニック serves 総社市 only (かねこ助産院 has a sample contract with 熊本市 too).
    kunitomi = f.facility_staff("kunitomi-clinic")
    response = api(kunitomi).post(GENERATE, {"month": "2026-05", "municipality": f.KUMAMOTO})
    assert fields_of(response) == {"municipality": "no_contract"}


@pytest.mark.parametrize("who", ["clerk", "boss", "mother_user"])
def test_only_facility_staff_generate(api, request, who) -> None:
    user = request.getfixturevalue(who)
    assert_forbidden(api(user).post(GENERATE, {"month": "2026-05", "municipality": f.SOJA}))


def test_submit(api, kaneko, hanada, clerk, claim) -> None:
    url = f"{URL}{claim.pk}/submit/"
    assert_forbidden(api(clerk).post(url))
    assert_not_found(api(hanada).post(url))
    response = api(kaneko).post(url)
    assert response.status_code == 200 and response.json()["status_display"] == "提出済み"
    assert [e["code"] for e in errors_of(api(kaneko).post(url), 409)] == ["invalid_state"]


def test_line_review(api, clerk, other_clerk, kaneko, submitted) -> None:
    first, second = submitted.lines.order_by("id")
    url = f"{URL}{submitted.pk}/lines/{first.pk}/review/"
    assert fields_of(api(clerk).post(url, {"reason": 42})) == {
        "accept": "required",
        "reason": "invalid_choice",
    }
    assert fields_of(api(clerk).post(url, {"accept": False})) == {"reason": "invalid"}
    response = api(clerk).post(url, {"accept": False, "reason": 4})
    assert response.status_code == 200, response.json()
    assert response.json()["rejection_reason_display"] == "料金が契約と異なります"
    assert response.json()["status_display"] == "返戻"
    assert_forbidden(api(kaneko).post(url, {"accept": True}))
    assert_not_found(api(other_clerk).post(url, {"accept": True}))
    other_claim_line = f"{URL}{submitted.pk}/lines/{second.pk + 1000}/review/"
    assert_not_found(api(clerk).post(other_claim_line, {"accept": True}))


def test_approve_once_by_the_approver(api, clerk, boss, kaneko, submitted) -> None:
    for line in submitted.lines.all():
        api(clerk).post(f"{URL}{submitted.pk}/lines/{line.pk}/review/", {"accept": True})
    url = f"{URL}{submitted.pk}/approve/"
    assert_forbidden(api(clerk).post(url))
    assert_forbidden(api(kaneko).post(url))
    response = api(boss).post(url)
    assert response.status_code == 200
    assert (response.json()["status_display"], response.json()["approved_total"]) == (
        "承認（確定）",
        24000,
    )
    assert [e["code"] for e in errors_of(api(boss).post(url), 409)] == ["invalid_state"]


def test_approve_needs_every_line_reviewed(api, boss, submitted) -> None:
    assert fields_of(api(boss).post(f"{URL}{submitted.pk}/approve/")) == {"lines": "invalid"}


def test_return_to_the_facility(api, clerk, mother_user, other_clerk, submitted) -> None:
    url = f"{URL}{submitted.pk}/return/"
    assert_forbidden(api(mother_user).post(url))
    assert_not_found(api(other_clerk).post(url))
    response = api(clerk).post(url)
    assert response.status_code == 200 and response.json()["status_display"] == "差戻し"


def test_lists_are_scoped(api, claim, kaneko, hanada, clerk, other_clerk, mother_user) -> None:
    for user in (kaneko, clerk):
        assert [c["id"] for c in api(user).get(URL).json()["results"]] == [claim.pk]
    for user in (hanada, other_clerk, mother_user):
        assert api(user).get(URL).json()["count"] == 0
        assert_not_found(api(user).get(f"{URL}{claim.pk}/"))
    detail = api(clerk).get(f"{URL}{claim.pk}/").json()
    assert len(detail["lines"]) == 2 and detail["facility"]["slug"] == "kaneko-josanin"


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", ""),
        ("get", "1/"),
        ("post", "generate/"),
        ("post", "1/submit/"),
        ("post", "1/approve/"),
        ("post", "1/return/"),
        ("post", "1/lines/1/review/"),
    ],
)
def test_anonymous_is_refused(api, method, path) -> None:
    assert_unauthenticated(getattr(api(None), method)(f"{URL}{path}"))
