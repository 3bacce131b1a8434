"""/api/mothers/: staff list and register their municipality's mothers; a mother sees herself."""

from datetime import date, timedelta

import pytest

from sango.api.tests.helpers import (
    assert_forbidden,
    assert_not_found,
    assert_unauthenticated,
    fields_of,
)
from sango.audit.models import AuditEvent
from sango.core.tests import factories as f
from sango.mothers.models import Mother

URL = "/api/mothers/"


def new_mother(**extra):
    return {
        "name": "総社 花子",
        "name_kana": "ソウジャ ハナコ",
        "birth_date": "1994-05-20",
        "postal_code": "719-1131",
        "address": "岡山県総社市中央1-1-1",
        "phone": "0866-00-0000",
        "infants": [
            {"name": "太郎", "birth_date": (date.today() - timedelta(days=10)).isoformat()}
        ],
        **extra,
    }


def test_staff_register_a_mother_with_her_infants(api, clerk) -> None:
    response = api(clerk).post(URL, new_mother(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["municipality"] == f.SOJA and body["name"] == "総社 花子"
    assert len(body["infants"]) == 1 and body["infants"][0]["name"] == "太郎"
    assert body["delivery_date"] == body["infants"][0]["birth_date"]
    assert body["has_account"] is False
    mother = Mother.objects.get(pk=body["id"])
    assert mother.municipality.code == f.SOJA
    event = AuditEvent.objects.get(action="mother.create")
    assert event.after == {"infants": 1}  # no personal data in the trail


def test_what_nobody_types_is_not_stored(api, clerk) -> None:
    """A reversed name (U+202E), zero-width characters, a BOM, a terminal escape and line
    breaks in a one-line field: stored as the person meant it, however it came in."""
    data = new_mother(
        name="\ufeff総社\u200b 花子\u202e",
        address="岡山県総社市\r\n中央1-1-1\x1b[31m",
        infants=[{"name": "太\u200d郎", "birth_date": date.today().isoformat()}],
    )
    response = api(clerk).post(URL, data, format="json")
    assert response.status_code == 201, response.json()
    mother = Mother.objects.get(pk=response.json()["id"])
    assert (mother.name, mother.address) == ("総社 花子", "岡山県総社市 中央1-1-1[31m")
    assert mother.infants.get().name == "太郎"


def test_register_names_every_field_at_fault_in_japanese(api, clerk) -> None:
    data = new_mother(birth_date="1994-13-40", postal_code="abc", phone="", infants=[{}])
    del data["name"]
    response = api(clerk).post(URL, data, format="json")
    assert fields_of(response) == {
        "name": "required",
        "birth_date": "invalid",
        "postal_code": "invalid",
        "phone": "blank",
        "infants.0.birth_date": "required",
    }
    assert not Mother.objects.exists()


def test_infant_born_before_the_mother_is_refused(api, clerk) -> None:
    data = new_mother(infants=[{"birth_date": "1990-01-01"}])
    response = api(clerk).post(URL, data, format="json")
    assert fields_of(response) == {"infants.0.birth_date": "invalid"}


def test_list_shows_only_the_municipality(api, clerk, other_clerk) -> None:
    mine = f.mother_with_baby(born=f.days_ago(10))
    f.mother_with_baby(code=f.KUMAMOTO, born=f.days_ago(10))
    response = api(clerk).get(URL)
    assert response.status_code == 200
    assert [m["id"] for m in response.json()["results"]] == [mine.pk]
    assert response.json()["count"] == 1


def test_a_mother_sees_herself_only(api, mother_user, other_mother_user) -> None:
    response = api(mother_user).get(URL)
    assert [m["id"] for m in response.json()["results"]] == [mother_user.mother.pk]
    own = api(mother_user).get(f"{URL}{mother_user.mother.pk}/")
    assert own.status_code == 200 and own.json()["has_account"] is True
    assert_not_found(api(mother_user).get(f"{URL}{other_mother_user.mother.pk}/"))


def test_other_municipality_and_facilities_get_404(api, other_clerk, kaneko, mother_user) -> None:
    pk = mother_user.mother.pk
    assert_not_found(api(other_clerk).get(f"{URL}{pk}/"))
    assert_not_found(api(kaneko).get(f"{URL}{pk}/"))
    assert api(kaneko).get(URL).json()["count"] == 0
    assert_not_found(api(other_clerk).get(f"{URL}999999/"))


@pytest.mark.parametrize("who", ["mother_user", "kaneko", "admin"])
def test_only_municipal_staff_register(api, request, who) -> None:
    user = request.getfixturevalue(who)
    assert_forbidden(api(user).post(URL, new_mother(), format="json"))
    assert not Mother.objects.filter(name="総社 花子").exists()


@pytest.mark.parametrize("method, url", [("get", URL), ("post", URL), ("get", f"{URL}1/")])
def test_anonymous_is_refused(api, method, url) -> None:
    assert_unauthenticated(getattr(api(None), method)(url, {}, format="json"))
