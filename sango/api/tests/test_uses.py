"""/api/uses/: recorded by facility staff once per idempotency key, judged by the rules core
(422 with the reasons when it says no), quoted, voided and corrected."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sango.accounts.models import User
from sango.api import selectors
from sango.api.tests.helpers import (
    assert_forbidden,
    assert_not_found,
    assert_unauthenticated,
    errors_of,
    fields_of,
)
from sango.core.tests import factories as f
from sango.usage.models import Use
from sango.usage.services import use_record, use_void

URL = "/api/uses/"
QUOTE = f"{URL}quote/"


def shown(voucher) -> dict:
    return {"number": voucher.number, "mother_birth_date": voucher.mother.birth_date.isoformat()}


def a_night(voucher, **extra) -> dict:
    return {
        **shown(voucher),
        "service": "stay",
        "day": f.days_ago(1).isoformat(),
        "quantity": 1,
        "fee": 30000,
        **extra,
    }


def record(client, data, key="key-1"):
    return client.post(URL, data, format="json", HTTP_IDEMPOTENCY_KEY=key)


def recorded(voucher, staff, key, **extra) -> Use:
    fields = {"service": "stay", "day": f.days_ago(1), "quantity": 1, "fee": 30000, **extra}
    return use_record(
        voucher_id=voucher.pk, facility=staff.facility, actor=staff, idempotency_key=key, **fields
    )


# --- recording --------------------------------------------------------------------------------


def test_a_facility_records_a_use(api, kaneko, voucher) -> None:
    response = record(api(kaneko), a_night(voucher))
    assert response.status_code == 201, response.json()
    body = response.json()
    # 課税世帯 短期入所: the city pays 17,000 yen a night; the fee is 30,000.
    assert (body["subsidy"], body["copay"], body["fee"]) == (17000, 13000, 30000)
    assert body["counted"] == {"stay": 1} and body["status_display"] == "記録済み"
    assert body["facility"]["slug"] == "kaneko-josanin"
    assert body["voucher"] == voucher.pk and body["voucher_number"] == voucher.number
    assert body["funding"] == [{"source": "municipality", "amount": 17000}]


def test_a_retry_with_the_same_key_records_once(api, kaneko, voucher) -> None:
    first = record(api(kaneko), a_night(voucher), key="visit-2026-05-10")
    again = record(api(kaneko), a_night(voucher), key="visit-2026-05-10")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert Use.objects.count() == 1


def test_the_idempotency_key_is_required(api, kaneko, voucher) -> None:
    response = api(kaneko).post(URL, a_night(voucher), format="json")
    assert fields_of(response) == {"idempotency_key": "required"}
    assert fields_of(record(api(kaneko), a_night(voucher), key="k" * 81)) == {
        "idempotency_key": "max_length"
    }
    assert not Use.objects.exists()


def test_a_key_reused_for_another_voucher_is_an_error(api, kaneko, voucher) -> None:
    assert record(api(kaneko), a_night(voucher), key="same").status_code == 201
    mother = f.mother_with_baby(born=f.days_ago(20))
    other = f.voucher_for(f.approved_application(mother=mother, grants={"stay": 1}))
    response = record(api(kaneko), a_night(other), key="same")
    assert fields_of(response) == {"idempotency_key": "idempotency_conflict"}
    assert Use.objects.count() == 1


def test_a_key_reused_for_a_different_request_is_refused(api, kaneko, voucher) -> None:
    first = record(api(kaneko), a_night(voucher), key="visit-1")
    assert first.status_code == 201
    response = record(api(kaneko), a_night(voucher, fee=35000), key="visit-1")
    assert fields_of(response) == {"idempotency_key": "idempotency_conflict"}
    assert "内容の違う記録" in errors_of(response, 400)[0]["message"]
    assert list(Use.objects.values_list("fee", flat=True)) == [30000]


@pytest.mark.parametrize(
    ("field", "value"),
    [("fee", 3), ("fee", 2_147_483_648), ("fee", 1_000_001), ("extras", 10**12)],
)
def test_implausible_money_is_a_clear_error_and_saves_nothing(
    api, kaneko, voucher, field, value
) -> None:
    response = record(api(kaneko), a_night(voucher, **{field: value}))
    assert response.status_code == 400
    assert set(fields_of(response)) == {field}
    assert not Use.objects.exists()


def test_more_infants_than_were_born_is_refused(api, kaneko, voucher) -> None:
    """A singleton's mother cannot be subsidised as a mother of twins."""
    response = record(api(kaneko), a_night(voucher, infants=2))
    assert fields_of(response) == {"infants": "invalid"}
    assert "出生を登録した人数（1人）" in errors_of(response, 400)[0]["message"]
    assert not Use.objects.exists()


def test_a_refused_use_gives_every_reason(api, kaneko, voucher) -> None:
    response = record(api(kaneko), a_night(voucher, quantity=4))  # 3 nights were granted
    assert [e["code"] for e in errors_of(response, 422)] == ["cap_reached"]
    assert not Use.objects.exists()


def test_a_day_outside_the_voucher_is_refused(api, kaneko, voucher) -> None:
    before = (voucher.valid_from - timedelta(days=1)).isoformat()
    response = record(api(kaneko), a_night(voucher, day=before))
    assert [e["code"] for e in errors_of(response, 422)] == ["outside_voucher_period"]


def test_record_names_the_fields_at_fault(api, kaneko, voucher) -> None:
    data = {**shown(voucher), "quantity": 0, "fee": -1, "start": "2026-05-10T10:00:00+09:00"}
    assert fields_of(record(api(kaneko), data)) == {
        "service": "required",
        "quantity": "min_value",
        "fee": "min_value",
    }
    data = {**shown(voucher), "service": "stay", "start": "2026-05-10T10:00:00+09:00"}
    assert fields_of(record(api(kaneko), data)) == {"end": "required"}
    assert fields_of(record(api(kaneko), {**shown(voucher), "service": "stay"})) == {
        "day": "required"
    }
    response = record(api(kaneko), a_night(voucher, service="massage"))
    assert fields_of(response) == {"service": "invalid"}


def test_a_voucher_not_shown_is_not_found(api, kaneko, voucher) -> None:
    wrong = a_night(voucher, mother_birth_date="1980-02-02")
    assert_not_found(record(api(kaneko), wrong))
    by_id = {**a_night(voucher), "voucher": voucher.pk}
    for key in ("number", "mother_birth_date"):
        by_id.pop(key)
    assert fields_of(record(api(kaneko), by_id)) == {"voucher": "does_not_exist"}


@pytest.mark.parametrize("who", ["clerk", "boss", "mother_user", "admin"])
def test_only_facility_staff_record(api, request, voucher, who) -> None:
    user = request.getfixturevalue(who)
    assert_forbidden(record(api(user), a_night(voucher)))


# --- reading ----------------------------------------------------------------------------------


def test_lists_are_scoped(
    api, voucher, kaneko, hanada, clerk, other_clerk, mother_user, other_mother_user
) -> None:
    stay = recorded(voucher, kaneko, "a")
    day = recorded(voucher, hanada, "b", service="day", fee=10000)

    def ids(user, **query):
        return sorted(u["id"] for u in api(user).get(URL, query).json()["results"])

    assert ids(kaneko) == [stay.pk] and ids(hanada) == [day.pk]
    assert ids(clerk) == sorted([stay.pk, day.pk]) == ids(mother_user)
    assert ids(other_clerk) == [] == ids(other_mother_user)
    assert ids(clerk, voucher=voucher.pk, status="recorded") == sorted([stay.pk, day.pk])
    assert ids(clerk, status="void") == []
    assert_not_found(api(hanada).get(f"{URL}{stay.pk}/"))
    assert_not_found(api(other_clerk).get(f"{URL}{stay.pk}/"))
    assert api(mother_user).get(f"{URL}{stay.pk}/").json()["subsidy"] == 17000


def test_the_list_statement_shows_what_the_access_rule_shows(
    voucher, kaneko, hanada, clerk, other_clerk, mother_user, other_mother_user, admin
) -> None:
    """The list is read by a statement of its own (``selectors.use_page``): for every role and
    filter it must show the uses of ``uses_for``, in the same order."""
    recorded(voucher, kaneko, "a", day=f.days_ago(2))
    recorded(voucher, hanada, "b", service="day", fee=10000, day=f.days_ago(3))
    use_void(use=recorded(voucher, kaneko, "c"), actor=kaneko, reason="入力誤り")
    mother = f.mother_with_baby(born=f.days_ago(9))
    other = f.voucher_for(f.approved_application(mother=mother, grants={"stay": 5}))
    recorded(other, kaneko, "d", day=f.days_ago(2))
    nobody = f.UserFactory(role=User.Role.MOTHER)  # an account with no case yet
    for user in (kaneko, hanada, clerk, other_clerk, mother_user, other_mother_user, admin, nobody):
        for query in (
            {},
            {"voucher_id": voucher.pk},
            {"status": "void"},
            {"voucher_id": other.pk, "status": "recorded"},
        ):
            expected = [u.pk for u in selectors.uses_for(user, **query)]
            listed = selectors.use_page(user, **query)
            assert [row["id"] for row in listed[0:50]] == expected, (user.role, query)
            assert listed.counted == len(expected)


def test_list_filters_are_checked(api, clerk) -> None:
    assert fields_of(api(clerk).get(URL, {"voucher": "x", "status": "gone"})) == {
        "voucher": "invalid",
        "status": "invalid_choice",
    }


def test_list_queries_do_not_grow(api, clerk, kaneko, django_assert_max_num_queries) -> None:
    mother = f.mother_with_baby(born=f.days_ago(40))
    voucher = f.voucher_for(f.approved_application(mother=mother, grants={"stay": 5, "day": 5}))
    recorded(voucher, kaneko, "first")
    with CaptureQueriesContext(connection) as one:
        assert api(clerk).get(URL).json()["count"] == 1
    for n in range(2, 6):
        recorded(voucher, kaneko, f"stay-{n}", day=f.days_ago(n))
    for n in range(1, 6):
        recorded(voucher, kaneko, f"day-{n}", service="day", day=f.days_ago(n), fee=10000)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert api(clerk).get(URL).json()["count"] == 10


# --- quote ------------------------------------------------------------------------------------


def test_a_quote_judges_without_saving(api, kaneko, voucher) -> None:
    response = api(kaneko).post(QUOTE, a_night(voucher, quantity=2), format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["eligible"] is True and body["reasons"] == []
    assert (body["subsidy"], body["copay"]) == (34000, 26000)
    assert body["counted"] == {"stay": 2} and body["remaining"]["stay"] == 1
    assert not Use.objects.exists()


def test_an_ineligible_quote_says_why(api, kaneko, voucher) -> None:
    body = api(kaneko).post(QUOTE, a_night(voucher, quantity=4), format="json").json()
    assert body["eligible"] is False
    assert [r["code"] for r in body["reasons"]] == ["cap_reached"]


def test_staff_and_the_mother_quote_with_a_facility(api, clerk, mother_user, voucher) -> None:
    kaneko_id = f.facility_staff("kaneko-josanin").facility_id
    data = {
        "voucher": voucher.pk,
        "service": "stay",
        "day": f.days_ago(1).isoformat(),
        "quantity": 1,
        "fee": 30000,
        "facility": kaneko_id,
    }
    for user in (clerk, mother_user):
        response = api(user).post(QUOTE, data, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["subsidy"] == 17000


def test_quote_checks_input_and_access(api, kaneko, other_clerk, admin, voucher) -> None:
    assert fields_of(api(kaneko).post(QUOTE, {"service": "stay"}, format="json")) == {
        "day": "required"
    }
    data = {"voucher": voucher.pk, "service": "stay", "day": f.days_ago(1).isoformat()}
    assert fields_of(api(other_clerk).post(QUOTE, data, format="json")) == {
        "voucher": "does_not_exist"
    }
    assert_forbidden(api(admin).post(QUOTE, data, format="json"))


# --- void and correct -------------------------------------------------------------------------


def test_void(api, kaneko, hanada, mother_user, other_clerk, voucher) -> None:
    use = recorded(voucher, kaneko, "a")
    url = f"{URL}{use.pk}/void/"
    assert fields_of(api(kaneko).post(url, {})) == {"reason": "required"}
    assert_forbidden(api(mother_user).post(url, {"reason": "誤り"}))
    assert_not_found(api(hanada).post(url, {"reason": "誤り"}))
    assert_not_found(api(other_clerk).post(url, {"reason": "誤り"}))
    response = api(kaneko).post(url, {"reason": "入力誤り"})
    assert response.status_code == 200
    assert (response.json()["status_display"], response.json()["void_reason"]) == (
        "取消",
        "入力誤り",
    )
    again = api(kaneko).post(url, {"reason": "二度目"})
    assert [e["code"] for e in errors_of(again, 409)] == ["invalid_state"]


def test_correct(api, kaneko, clerk, mother_user, hanada, voucher) -> None:
    use = recorded(voucher, kaneko, "a")
    url = f"{URL}{use.pk}/correct/"
    assert fields_of(api(kaneko).post(url, {"fee": -5})) == {
        "reason": "required",
        "fee": "min_value",
    }
    assert_forbidden(api(mother_user).post(url, {"reason": "料金の訂正", "fee": 28000}))
    assert_not_found(api(hanada).post(url, {"reason": "料金の訂正", "fee": 28000}))
    too_many = api(kaneko).post(url, {"reason": "泊数の訂正", "quantity": 4})
    assert [e["code"] for e in errors_of(too_many, 422)] == ["cap_reached"]
    response = api(clerk).post(url, {"reason": "料金の訂正", "fee": 28000})
    assert response.status_code == 201, response.json()
    assert response.json()["corrects"] == use.pk and response.json()["copay"] == 11000
    use.refresh_from_db()
    assert use.status == Use.Status.VOID


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", ""),
        ("post", ""),
        ("get", "1/"),
        ("post", "quote/"),
        ("post", "1/void/"),
        ("post", "1/correct/"),
    ],
)
def test_anonymous_is_refused(api, method, path) -> None:
    assert_unauthenticated(getattr(api(None), method)(f"{URL}{path}"))
