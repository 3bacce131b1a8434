"""The way in: マイページ's login admits mothers' accounts only, and her first page shows her
own cases and no one else's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sango.core.tests import factories as f
from sango.vouchers.services import usage_card_issue

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_the_login(client):
    response = client.get("/my/")
    assert response.status_code == 302
    assert response["Location"].startswith("/my/login/")


def test_staff_account_is_refused_at_the_mothers_door(client_for):
    response = client_for(f.clerk()).get("/my/")
    assert response.status_code == 403


def test_staff_cannot_log_in_through_the_mothers_login(client):
    clerk = f.clerk()
    response = client.post("/my/login/", {"username": clerk.username, "password": "pw-for-tests"})
    assert response.status_code == 200
    assert "メールアドレスまたはパスワードが正しくありません" in response.content.decode()


def applications_of(page: str) -> str:
    return page.split('id="applications"')[1].split("</section>")[0]


def test_home_shows_her_application_and_not_another_mothers(client_for, new_mother):
    hers = new_mother()
    other = new_mother()
    f.submitted_application(mother=hers)
    f.application_in("approved", mother=other)
    page = client_for(hers.user).get("/my/").content.decode()
    assert "受付済み" in applications_of(page)
    assert "承認" not in applications_of(page)
    assert other.name not in page


def test_without_her_record_the_next_step_is_her_details(client_for):
    page = client_for(f.mother_user()).get("/my/").content.decode()
    assert "まず、あなたと赤ちゃんの情報を入力してください" in page
    assert reverse("my:card_register") in page


def test_after_submitting_she_reads_what_happens_next(client_for, new_mother):
    mother = new_mother()
    f.submitted_application(mother=mother)
    page = client_for(mother.user).get("/my/").content.decode()
    assert "申請を受け付けました" in page and "聞き取り" in page


def test_approved_she_sees_her_voucher_what_remains_and_her_next_booking(client_for, new_mother):
    mother = new_mother()
    application = f.approved_application(mother=mother, grants={"stay": 5})
    voucher = f.voucher_for(application)
    f.provisional_booking(mother=mother, application=application)
    page = client_for(mother.user).get("/my/").content.decode()
    assert voucher.number in page and reverse("my:voucher", args=[voucher.pk]) in page
    assert "あと5泊" in page
    booking = page.split('id="h-booking"')[1].split("</section>")[0]
    assert "かねこ助産院" in booking and "確定" in booking


def test_with_a_usage_card_she_sees_her_card(client_for, new_mother):
    mother = new_mother(code=f.KUMAMOTO)
    card = usage_card_issue(mother=mother, actor=f.clerk(f.KUMAMOTO), tier="taxable")
    page = client_for(mother.user).get("/my/").content.decode()
    assert card.number in page and "利用カードを開く" in page


def test_a_kumamoto_mother_without_a_card_is_told_to_register_it(client_for, new_mother):
    mother = new_mother(code=f.KUMAMOTO)
    page = client_for(mother.user).get("/my/").content.decode()
    assert "カードの番号を登録してください" in page


def test_home_queries_do_not_grow_with_her_cases(
    client_for, new_mother, django_assert_max_num_queries
):
    mother = new_mother()
    application = f.approved_application(mother=mother, grants={"stay": 5})
    client = client_for(mother.user)
    f.provisional_booking(mother=mother, application=application)
    with django_assert_max_num_queries(14) as first:
        client.get("/my/")
    for days in (14, 21, 28):
        f.provisional_booking(
            mother=mother,
            application=application,
            start=timezone.localdate() + timedelta(days=days),
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get("/my/")


def test_with_a_card_from_pregnancy_the_next_step_is_the_birth(client_for):
    mother = f.MotherFactory(
        municipality=f.municipality(f.KUMAMOTO), user=f.mother_user(), due_date=f.days_ago(-20)
    )
    card = usage_card_issue(mother=mother, actor=f.clerk(f.KUMAMOTO), tier="taxable")
    page = client_for(mother.user).get("/my/").content.decode()
    assert reverse("my:card_birth", args=[card.pk]) in page and "誕生を登録" in page
