"""Claiming the account こども課 prepared: staff issue a code on the case page and print it; she
enters it with her birth date and sets her address and password."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from sango.accounts.models import ClaimCode, User
from sango.core.tests import factories as f
from sango.portals.my.tests.test_account import link_in

pytestmark = pytest.mark.django_db

PASSWORD = "sakura-hoikuen-2026"


@pytest.fixture
def case():
    mother = f.mother_with_baby(born=f.days_ago(20))
    return f.submitted_application(mother=mother)


def issue(client_for, case, staff=None) -> str:
    client = client_for(staff or f.clerk())
    response = client.post(f"/staff/cases/{case.pk}/account-code/")
    assert response["Location"] == f"/staff/cases/{case.pk}/account-code/"
    handout = client.get(response["Location"]).content.decode()
    return re.search(r"data-claim-code>([A-Z0-9-]+)<", handout)[1]


def claim(client, code, birth_date, email="hanako@example.jp"):
    return client.post(
        "/my/claim/",
        {"code": code, "birth_date": birth_date, "email": email, "password": PASSWORD},
    )


def test_the_case_page_offers_the_code_while_she_has_no_account(client_for, case):
    page = client_for(f.clerk()).get(f"/staff/cases/{case.pk}/").content.decode()
    assert "マイページの登録コードを発行" in page


def test_her_code_and_birth_date_make_her_account(client, client_for, case, run_tasks):
    code = issue(client_for, case)
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}", code)
    assert code.replace("-", "") not in ClaimCode.objects.get().code_hash
    typed = code.lower().replace("-", " ")  # however she types it
    with run_tasks():
        response = claim(client, typed, case.mother.birth_date.isoformat())
    assert response["Location"] == "/my/signup/sent/"
    case.mother.refresh_from_db()
    assert case.mother.user.email == "hanako@example.jp"
    # Her address verified by the mailed link, as after a sign-up; then she sees her case.
    (sent,) = mail.outbox
    assert sent.to == ["hanako@example.jp"]
    assert client.post(link_in(sent))["Location"] == "/my/"
    assert "受付済み" in client.get("/my/").content.decode()
    # Spent: the same code again is refused.
    client.logout()
    again = claim(client, code, case.mother.birth_date.isoformat(), email="other@example.jp")
    assert "登録コードが正しくないか" in again.content.decode()


def test_her_claim_sent_twice_makes_one_account(client, client_for, case):
    code = issue(client_for, case)
    born = case.mother.birth_date.isoformat()
    assert claim(client, code, born)["Location"] == "/my/signup/sent/"
    assert claim(client, code, born)["Location"] == "/my/signup/sent/"
    assert User.objects.filter(email="hanako@example.jp").count() == 1


def test_an_approver_may_issue_too_and_a_new_code_voids_the_old(client, client_for, case):
    first = issue(client_for, case)
    second = issue(client_for, case, staff=f.approver())
    born = case.mother.birth_date.isoformat()
    assert "登録コードが正しくないか" in claim(client, first, born).content.decode()
    assert claim(client, second, born)["Location"] == "/my/signup/sent/"


def test_a_wrong_birth_date_is_refused_and_counts_against_the_code(client, client_for, case):
    code = issue(client_for, case)
    response = claim(client, code, "1990-01-01")
    assert 'id="id_birth_date_error"' in response.content.decode()
    assert ClaimCode.objects.get().failures == 1
    assert 'value="hanako@example.jp"' in response.content.decode()


def test_wrong_tries_are_throttled(client, client_for, case):
    code = issue(client_for, case)
    for _ in range(5):
        claim(client, "AAAAA-BBBBB", case.mother.birth_date.isoformat())
    response = claim(client, code, case.mother.birth_date.isoformat())
    assert "しばらく受け付けません" in response.content.decode()
    case.mother.refresh_from_db()
    assert case.mother.user is None


def test_the_code_is_void_after_five_wrong_birth_dates(client_for, case):
    from django.test import Client

    code = issue(client_for, case)
    for _ in range(5):
        claim(Client(), code, "1990-01-01")
    assert (
        "登録コードが正しくないか"
        in claim(Client(), code, case.mother.birth_date.isoformat()).content.decode()
    )


def test_staff_of_another_municipality_cannot_issue(client_for, case):
    other = client_for(f.clerk(f.KUMAMOTO))
    assert other.post(f"/staff/cases/{case.pk}/account-code/").status_code == 404
    assert not ClaimCode.objects.exists()


def test_mothers_and_facilities_cannot_issue(client_for, case, new_mother):
    assert (
        client_for(new_mother().user).post(f"/staff/cases/{case.pk}/account-code/").status_code
        == 403
    )
    facility = client_for(f.facility_staff("kaneko-josanin"))
    assert facility.post(f"/staff/cases/{case.pk}/account-code/").status_code == 403


def test_no_code_for_a_mother_who_has_an_account(client_for, new_mother):
    case = f.submitted_application(mother=new_mother())
    client = client_for(f.clerk())
    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "マイページの登録コードを発行" not in page
    response = client.post(f"/staff/cases/{case.pk}/account-code/", follow=True)
    assert "すでにマイページのアカウントをお持ちです" in response.content.decode()
    assert not ClaimCode.objects.exists()
