"""/api/audit/?actor=: what one account did, for municipal staff (their municipality's events)
and system administrators."""

import pytest

from sango.api.tests.helpers import assert_forbidden, assert_unauthenticated, fields_of
from sango.core.tests import factories as f
from sango.usage.services import use_record

URL = "/api/audit/"


@pytest.fixture
def recorded(voucher, kaneko):
    return use_record(
        voucher_id=voucher.pk,
        facility=kaneko.facility,
        actor=kaneko,
        idempotency_key="a",
        service="stay",
        day=f.days_ago(1),
        quantity=1,
        fee=30000,
    )


def test_staff_see_what_an_account_did_in_their_municipality(api, clerk, kaneko, recorded):
    response = api(clerk).get(URL, {"actor": kaneko.pk})
    assert response.status_code == 200
    [event] = response.json()["results"]
    assert (event["action"], event["actor"], event["actor_username"]) == (
        "use.record",
        kaneko.pk,
        kaneko.username,
    )
    assert event["target_id"] == recorded.pk and event["after"]["subsidy"] == 17000


def test_another_municipality_sees_none_of_it(api, other_clerk, kaneko, recorded) -> None:
    assert api(other_clerk).get(URL, {"actor": kaneko.pk}).json()["count"] == 0


def test_administrators_see_everything(api, admin, boss, case) -> None:
    actions = [e["action"] for e in api(admin).get(URL, {"actor": boss.pk}).json()["results"]]
    assert "application.approve" in actions


def test_the_actor_is_required(api, clerk) -> None:
    assert fields_of(api(clerk).get(URL)) == {"actor": "required"}
    assert fields_of(api(clerk).get(URL, {"actor": "me"})) == {"actor": "invalid"}


@pytest.mark.parametrize("who", ["mother_user", "kaneko"])
def test_not_for_mothers_or_facilities(api, request, who) -> None:
    user = request.getfixturevalue(who)
    assert_forbidden(api(user).get(URL, {"actor": user.pk}))


def test_anonymous_is_refused(api) -> None:
    assert_unauthenticated(api(None).get(URL, {"actor": 1}))
