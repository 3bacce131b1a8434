"""お母さんと赤ちゃんの情報: her record made from マイページ, checked as staff entry is (和暦,
full-width digits, kana, a baby not born yet, twins), corrected while nothing is handed in,
and the postal code that fills the address with or without JavaScript."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from sango.core.tests import factories as f
from sango.mothers.models import Mother

pytestmark = pytest.mark.django_db


def once(html: str) -> str:
    return re.search(r'name="once" value="([^"]+)"', html)[1]


def details(client, **changes) -> dict:
    data = {
        "municipality": f.municipality(f.SOJA).pk,
        "name": "試験 花子",
        "name_kana": "しけん　はなこ",
        "birth_date": "平成6年5月20日",
        "postal_code": "７１９－１１３１",
        "address": "岡山県総社市中央1-1-1",
        "phone": "０９０－１２３４－５６７８",
        "born": "yes",
        "infant_birth_date": f.days_ago(20).isoformat(),
        "infant_count": "1",
        "due_date": "",
    }
    data.update(changes)
    page = client.get("/my/details/").content.decode()
    return client.post("/my/details/", {**data, "once": once(page)})


@pytest.fixture
def user():
    return f.mother_user()


@pytest.fixture
def client(client_for, user):
    return client_for(user)


def test_her_record_is_made_from_what_she_typed(client, user):
    response = details(client)
    assert response.status_code == 302 and response["Location"] == "/my/apply/"
    mother = Mother.objects.get(user=user)
    assert mother.name_kana == "シケン ハナコ"
    assert mother.birth_date.isoformat() == "1994-05-20"
    assert mother.postal_code == "719-1131"
    assert mother.phone.startswith("090") and "０" not in mother.phone
    assert mother.infants.count() == 1


def test_twins_are_a_count(client, user):
    details(client, infant_count="２")
    assert Mother.objects.get(user=user).infants.count() == 2


def test_a_birth_date_in_the_future_is_refused_and_nothing_typed_is_lost(client, user):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    html = details(client, infant_birth_date=tomorrow).content.decode()
    assert 'id="id_infant_birth_date_error"' in html
    assert "まだ生まれていないとき" in html
    assert 'value="試験 花子"' in html and 'value="岡山県総社市中央1-1-1"' in html
    assert not Mother.objects.filter(user=user).exists()


def test_a_baby_not_born_yet_needs_the_due_date(client, user):
    html = details(client, born="no", infant_birth_date="").content.decode()
    assert "出産予定日を入力してください" in html
    due = timezone.localdate() + timedelta(days=40)
    details(client, born="no", infant_birth_date="", due_date=due.isoformat())
    mother = Mother.objects.get(user=user)
    assert mother.due_date == due and not mother.infants.exists()


def test_wrong_kana_and_phone_show_next_to_their_fields(client):
    html = details(client, name_kana="Hanako", phone="12").content.decode()
    assert 'id="id_name_kana_error"' in html and "カタカナで入力してください" in html
    assert 'id="id_phone_error"' in html


def test_she_corrects_her_record_while_nothing_is_handed_in(client, user):
    details(client)
    details(client, address="岡山県総社市中央2-2-2", infant_count="2")
    mother = Mother.objects.get(user=user)
    assert mother.address == "岡山県総社市中央2-2-2" and mother.infants.count() == 2


def test_after_an_application_is_handed_in_her_record_is_read_only(client, user):
    details(client)
    f.submitted_application(mother=Mother.objects.get(user=user))
    html = client.get("/my/details/").content.decode()
    assert "こども課へご連絡ください" in html and '<form method="post" novalidate>' not in html


def test_next_is_followed_only_inside_my_page(client):
    page = client.get("/my/details/?next=https://evil.example/").content.decode()
    assert 'name="next" value="/my/apply/"' in page
    page = client.get("/my/details/?next=/my/apply/check/").content.decode()
    assert 'name="next" value="/my/apply/check/"' in page


def test_postal_lookup_without_javascript_fills_the_address(client):
    response = client.post(
        "/my/details/", {"lookup": "1", "postal_code": "719-1131", "name": "試験 花子"}
    )
    html = response.content.decode()
    assert 'value="岡山県総社市中央' in html and 'value="試験 花子"' in html
    assert "入力内容を確認してください" not in html


def test_postal_lookup_endpoint(client):
    assert (
        client.post("/my/postal/", {"code": "７１９１１３１"})
        .json()["address"]
        .startswith("岡山県総社市")
    )
    assert client.post("/my/postal/", {"code": "000-0000"}).status_code == 404


def test_anonymous_and_other_doors(client_for):
    assert client_for(None).post("/my/postal/", {"code": "7191131"}).status_code == 302
    assert client_for(f.clerk()).get("/my/details/").status_code == 403


def test_full_width_and_wareki_dates_are_read(client, user):
    details(client, birth_date="Ｈ６．５．２０", infant_birth_date="令和８年１１月１日")
    mother = Mother.objects.get(user=user)
    assert mother.birth_date.isoformat() == "1994-05-20"
    assert mother.infants.get().birth_date.isoformat() == "2026-11-01"
