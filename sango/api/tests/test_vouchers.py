"""/api/vouchers/ and /api/usage-cards/: the voucher as its holder sees it, a facility's check
(which tells nothing else), and usage cards."""

import pytest

from sango.api.tests.helpers import (
    assert_forbidden,
    assert_not_found,
    assert_unauthenticated,
    fields_of,
)
from sango.core.tests import factories as f
from sango.usage.services import use_record
from sango.vouchers.models import Voucher
from sango.vouchers.services import voucher_qr_payload

URL = "/api/vouchers/"
VERIFY = f"{URL}verify/"
CARDS = "/api/usage-cards/"


def shown(voucher) -> dict:
    return {"number": voucher.number, "mother_birth_date": voucher.mother.birth_date.isoformat()}


def test_the_mother_sees_her_voucher_with_what_remains(api, voucher, mother_user) -> None:
    response = api(mother_user).get(f"{URL}{voucher.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert (body["number"], body["kind_display"], body["status_display"]) == (
        voucher.number,
        "利用券",
        "有効",
    )
    assert body["remaining"]["stay"] == {
        "name": "短期入所（ショートステイ）型",
        "unit": "night",
        "limit": 3,
        "used": 0,
        "remaining": 3,
    }
    assert body["qr"] == voucher_qr_payload(voucher)


def test_who_may_see_a_voucher(api, voucher, clerk, other_clerk, other_mother_user, kaneko):
    assert api(clerk).get(f"{URL}{voucher.pk}/").status_code == 200
    for user in (other_clerk, other_mother_user, kaneko):
        assert_not_found(api(user).get(f"{URL}{voucher.pk}/"))
    # Once the voucher was used at かねこ助産院, its staff may see it.
    use_record(
        voucher_id=voucher.pk,
        facility=kaneko.facility,
        actor=kaneko,
        idempotency_key="k",
        service="stay",
        day=f.days_ago(1),
        quantity=1,
        fee=30000,
    )
    body = api(kaneko).get(f"{URL}{voucher.pk}/").json()
    assert body["remaining"]["stay"]["remaining"] == 2


def test_a_facility_verifies_by_number_and_birth_date(api, voucher, kaneko) -> None:
    response = api(kaneko).post(VERIFY, shown(voucher))
    assert response.status_code == 200, response.json()
    body = response.json()
    assert set(body) == {
        "id",
        "kind",
        "kind_display",
        "status",
        "status_display",
        "valid_from",
        "valid_until",
        "mother_name",
        "remaining",
    }
    assert body["id"] == voucher.pk and body["mother_name"] == voucher.mother.name
    assert body["remaining"]["day"]["limit"] == 2


def test_a_facility_verifies_by_qr(api, voucher, hanada) -> None:
    response = api(hanada).post(VERIFY, {"qr": voucher_qr_payload(voucher)})
    assert response.status_code == 200 and response.json()["id"] == voucher.pk


def test_a_wrong_birth_date_or_a_forged_qr_tells_nothing(api, voucher, kaneko) -> None:
    assert_not_found(
        api(kaneko).post(VERIFY, {**shown(voucher), "mother_birth_date": "1990-01-01"})
    )
    assert_not_found(api(kaneko).post(VERIFY, {"qr": voucher_qr_payload(voucher) + "x"}))


def test_verify_names_the_fields_at_fault(api, voucher, kaneko) -> None:
    assert fields_of(api(kaneko).post(VERIFY, {})) == {"voucher": "voucher_required"}
    assert fields_of(api(kaneko).post(VERIFY, {"number": voucher.number})) == {
        "mother_birth_date": "required"
    }
    wrong_check_digit = str((int(voucher.number[-1]) + 1) % 10)
    mistyped = {**shown(voucher), "number": voucher.number[:-1] + wrong_check_digit}
    assert fields_of(api(kaneko).post(VERIFY, mistyped)) == {"number": "bad_number"}
    both = {**shown(voucher), "qr": "x"}
    assert fields_of(api(kaneko).post(VERIFY, both)) == {"voucher": "voucher_required"}
    bad_date = {**shown(voucher), "mother_birth_date": "20-05-1994"}
    assert fields_of(api(kaneko).post(VERIFY, bad_date)) == {"mother_birth_date": "invalid"}


def test_staff_verify_their_own_municipalitys_vouchers_only(api, voucher, clerk, other_clerk):
    assert api(clerk).post(VERIFY, shown(voucher)).json()["mother_name"] == voucher.mother.name
    assert_not_found(api(other_clerk).post(VERIFY, shown(voucher)))


def test_mothers_do_not_verify_and_admins_see_no_name(api, voucher, mother_user, admin) -> None:
    assert_forbidden(api(mother_user).post(VERIFY, shown(voucher)))
    assert api(admin).post(VERIFY, shown(voucher)).json()["mother_name"] is None


# --- usage cards (熊本市 from 2024-04-01) -----------------------------------------------------


def test_staff_issue_a_usage_card(api, other_clerk) -> None:
    mother = f.mother_with_baby(code=f.KUMAMOTO, born=f.days_ago(5))
    response = api(other_clerk).post(CARDS, {"mother": mother.pk, "tier": "taxable"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["kind_display"], body["tier_display"]) == (
        "usage_card",
        "利用カード",
        "上記以外の世帯",  # the tier as 熊本市's programme names it
    )
    assert body["application"] is None and body["remaining"]["stay"]["limit"] == 7
    assert Voucher.objects.get(pk=body["id"]).mother == mother


def test_no_usage_cards_where_the_programme_takes_applications(api, clerk) -> None:
    mother = f.mother_with_baby(born=f.days_ago(5))
    response = api(clerk).post(CARDS, {"mother": mother.pk, "tier": "taxable"})
    assert fields_of(response) == {None: "no_usage_card"}


def test_usage_card_input_is_checked(api, other_clerk, mother_user) -> None:
    mother = f.mother_with_baby(code=f.KUMAMOTO, born=f.days_ago(5))
    assert fields_of(api(other_clerk).post(CARDS, {"tier_basis": "x"})) == {
        "mother": "required",
        "tier": "required",
        "tier_basis": "invalid_choice",
    }
    response = api(other_clerk).post(CARDS, {"mother": mother.pk, "tier": "royal"})
    assert fields_of(response) == {"tier": "invalid"}
    response = api(other_clerk).post(CARDS, {"mother": mother_user.mother.pk, "tier": "taxable"})
    assert fields_of(response) == {"mother": "does_not_exist"}


@pytest.mark.parametrize("who", ["mother_user", "kaneko", "admin"])
def test_only_municipal_staff_issue_cards(api, request, who) -> None:
    mother = f.mother_with_baby(code=f.KUMAMOTO, born=f.days_ago(5))
    user = request.getfixturevalue(who)
    assert_forbidden(api(user).post(CARDS, {"mother": mother.pk, "tier": "taxable"}))


@pytest.mark.parametrize("method, url", [("get", f"{URL}1/"), ("post", VERIFY), ("post", CARDS)])
def test_anonymous_is_refused(api, method, url) -> None:
    assert_unauthenticated(getattr(api(None), method)(url))


def test_facilities_verify_only_contracted_vouchers_and_guessing_is_limited(api) -> None:
    """The API's check is the facility portal's: a facility with no contract with the voucher's
    municipality learns nothing, and after five wrong birth dates the account must wait."""
    from sango.vouchers.services import usage_card_issue

    ward = f.clerk(f.KUMAMOTO)
    card = usage_card_issue(
        mother=f.mother_with_baby(code=f.KUMAMOTO, born=f.days_ago(10)), actor=ward, tier="taxable"
    )
    kunitomi = api(f.facility_staff("kunitomi-clinic"))  # 総社市's contract only
    right = {"number": card.number, "mother_birth_date": card.mother.birth_date.isoformat()}
    assert kunitomi.post("/api/vouchers/verify/", right).status_code == 404
    kaneko = api(f.facility_staff("kaneko-josanin"))  # 総社市 and 熊本市 (sample contract)
    for day in range(1, 6):
        wrong = {**right, "mother_birth_date": f"1990-01-{day:02d}"}
        assert kaneko.post("/api/vouchers/verify/", wrong).status_code == 404
    response = kaneko.post("/api/vouchers/verify/", right)
    assert response.status_code == 429
    assert "しばらく確認できません" in response.json()["errors"][0]["message"]
