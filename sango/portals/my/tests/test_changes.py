"""利用変更（中止）申請 in マイページ: she asks for more nights or to stop, sees it received, then
the decision with its letter once こども課 decides; her decision letters as PDF, hers only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sango.applications.changes import change_request_decide
from sango.applications.models import Application, ChangeRequest, Decision
from sango.core.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(new_mother) -> Application:
    return f.approved_application(mother=new_mother(), grants={"stay": 3})


def ask(client, application: Application, data: dict):
    url = reverse("my:change_new", args=[application.pk])
    once = client.get(url).context["form"]["once"].value()
    return client.post(url, {"once": once, **data})


def test_she_asks_for_more_nights_and_sees_the_decision_when_made(client_for, approved):
    client = client_for(approved.mother.user)
    assert (
        reverse("my:change_new", args=[approved.pk])
        in client.get(reverse("my:changes")).content.decode()
    )
    response = ask(client, approved, {"kind": "change", "grant_stay": "５", "reason": "体調のため"})
    change = ChangeRequest.objects.get(application=approved)
    assert response["Location"] == reverse("my:change", args=[change.pk])
    assert change.grants == {"stay": 5} and change.submitted_by == approved.mother.user
    received = client.get(response["Location"]).content.decode()
    assert "申請を受け付けました" in received and "受付番号" in received

    change_request_decide(change=change, actor=f.approver(), approve=True)
    decided = client.get(response["Location"]).content.decode()
    decision = Decision.objects.get(change_request=change)
    assert "申請は承認されました" in decided
    assert reverse("my:letter", args=[decision.pk]) in decided
    voucher = f.voucher_for(approved)
    assert "あと5泊" in client.get(reverse("my:voucher", args=[voucher.pk])).content.decode()


def test_she_asks_to_stop_and_a_rejection_shows_its_reason(client_for, approved):
    client = client_for(approved.mother.user)
    ask(client, approved, {"kind": "cancel", "reason": "転出のため"})
    change = ChangeRequest.objects.get(application=approved)
    assert change.kind == "cancel"
    change_request_decide(change=change, actor=f.approver(), approve=False, reason="確認中のため")
    page = client.get(reverse("my:change", args=[change.pk])).content.decode()
    assert "承認されませんでした" in page and "確認中のため" in page


def test_bad_input_is_shown_at_the_field_and_kept(client_for, approved):
    client = client_for(approved.mother.user)
    response = ask(client, approved, {"kind": "change", "grant_stay": "たくさん", "reason": ""})
    form = response.context["form"]
    assert "数字で入力してください" in form.errors["grant_stay"][0]
    assert "理由を入力してください" in form.errors["reason"][0]
    assert 'value="たくさん"' in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_a_change_with_nothing_to_change_is_refused_in_words(client_for, approved):
    response = ask(
        client_for(approved.mother.user), approved, {"kind": "change", "reason": "念のため"}
    )
    assert "変更する内容を入力してください" in response.content.decode()


def test_a_second_request_waits_for_the_first(client_for, approved):
    client = client_for(approved.mother.user)
    ask(client, approved, {"kind": "cancel", "reason": "転出のため"})
    response = ask(client, approved, {"kind": "cancel", "reason": "転出のため"})
    assert "審査中の変更・中止の申請があります" in response.content.decode()


def test_her_decision_letters_are_pdfs_for_her_only(client_for, approved, new_mother):
    decision = Decision.objects.get(application=approved)
    client = client_for(approved.mother.user)
    assert (
        reverse("my:letter", args=[decision.pk])
        in client.get(reverse("my:changes")).content.decode()
    )
    response = client.get(reverse("my:letter", args=[decision.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and "no-store" in response["Cache-Control"]
    assert client_for(new_mother().user).get(response.request["PATH_INFO"]).status_code == 404


def test_access(client_for, approved, new_mother):
    decision = Decision.objects.get(application=approved)
    change = ChangeRequest.objects.create(
        application=approved,
        kind="cancel",
        submitted_by=approved.mother.user,
        submitted_at=f.at(f.days_ago(1), 10),
    )
    mine = [
        reverse("my:change_new", args=[approved.pk]),
        reverse("my:change", args=[change.pk]),
        reverse("my:letter", args=[decision.pk]),
    ]
    for url in [*mine, reverse("my:changes")]:
        anonymous = client_for(None).get(url)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/my/login/")
        assert client_for(f.clerk()).get(url).status_code == 403
        assert client_for(f.facility_staff("kaneko-josanin")).get(url).status_code == 403
    other = client_for(new_mother().user)
    for url in mine:
        assert other.get(url).status_code == 404, url
