"""Her account: sign-up with the address verified by a mailed link, log in with her address,
the link resent, and the password reset by mail. Mails are sent by tasks (run at once here)."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from sango.accounts.models import User
from sango.core.tests import factories as f

pytestmark = pytest.mark.django_db

EMAIL, PASSWORD = "Hanako.Soja@Example.jp", "sakura-hoikuen-2026"


def link_in(message) -> str:
    """The path of the link in a mail (the site URL in front is the configured one)."""
    return re.search(r"https?://[^/\s]+(/\S+)", message.body)[1]


def sign_up(client, run_tasks, email=EMAIL, password=PASSWORD):
    with run_tasks():
        return client.post("/my/signup/", {"email": email, "password": password})


def test_sign_up_mails_a_link_that_verifies_and_logs_her_in(client, run_tasks):
    response = sign_up(client, run_tasks)
    assert response["Location"] == "/my/signup/sent/"
    assert "確認のメールを送りました" in client.get("/my/signup/sent/").content.decode()
    user = User.objects.get()
    assert (user.username, user.email, user.role, user.is_active) == (
        "hanako.soja@example.jp",
        "hanako.soja@example.jp",
        User.Role.MOTHER,
        False,
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["hanako.soja@example.jp"]
    path = link_in(mail.outbox[0])
    # Opening the link shows a button: a mail program checking links does not use it up.
    page = client.get(path)
    assert "確認してマイページに入る" in page.content.decode()
    assert client.get("/my/").status_code == 302
    response = client.post(path)
    assert response["Location"] == "/my/"
    assert client.get("/my/").status_code == 200
    # The link is spent.
    client.logout()
    assert client.get(path).status_code == 400


def test_she_logs_in_with_her_address_however_typed(client, run_tasks):
    sign_up(client, run_tasks)
    client.post(link_in(mail.outbox[0]))
    client.logout()
    response = client.post(
        "/my/login/", {"username": " HANAKO.soja@example.JP", "password": PASSWORD}
    )
    assert response["Location"] == "/my/"


def test_the_login_page_names_the_address_and_the_ways_in(client):
    page = client.get("/my/login/").content.decode()
    for text in ("メールアドレス", "はじめての方", "登録コード", "パスワードを忘れた方"):
        assert text in page


def test_an_unverified_account_cannot_log_in_and_is_told_why(client, run_tasks):
    sign_up(client, run_tasks)
    response = client.post("/my/login/", {"username": EMAIL, "password": PASSWORD})
    assert response.status_code == 200
    assert "メールアドレスの確認がまだです" in response.content.decode()
    # A wrong password says nothing about the account.
    wrong = client.post("/my/login/", {"username": EMAIL, "password": "not-hers-at-all"})
    assert "メールアドレスの確認" not in wrong.content.decode()
    assert "メールアドレスまたはパスワードが正しくありません" in wrong.content.decode()


def test_a_double_tapped_sign_up_leaves_both_links_working(client, run_tasks):
    sign_up(client, run_tasks)
    sign_up(client, run_tasks)
    assert User.objects.count() == 1
    assert client.post(link_in(mail.outbox[0]))["Location"] == "/my/"


def test_the_link_can_be_sent_again(client, run_tasks):
    sign_up(client, run_tasks)
    with run_tasks():
        response = client.post("/my/signup/resend/", {"email": EMAIL})
    assert response["Location"] == "/my/signup/sent/"
    assert len(mail.outbox) == 2
    client.post(link_in(mail.outbox[1]))
    assert User.objects.get().is_active


def test_resending_to_an_unknown_address_says_the_same_and_mails_nothing(client, run_tasks):
    with run_tasks():
        response = client.post("/my/signup/resend/", {"email": "nobody@example.jp"})
    assert response["Location"] == "/my/signup/sent/"
    assert mail.outbox == []


def test_an_expired_link_is_refused(client, run_tasks, settings):
    sign_up(client, run_tasks)
    settings.PASSWORD_RESET_TIMEOUT = -1
    path = link_in(mail.outbox[0])
    assert "期限" in client.get(path).content.decode()
    client.post(path)
    assert not User.objects.get().is_active


def test_a_wrong_link_is_refused(client, run_tasks):
    sign_up(client, run_tasks)
    path = link_in(mail.outbox[0])
    assert client.post(path[:-3] + "xyz/").status_code == 400
    assert client.post("/my/signup/verify/bm90aGluZw/abc-def/").status_code == 400
    assert not User.objects.get().is_active


def test_a_weak_password_is_refused_in_plain_japanese_and_the_address_kept(client, run_tasks):
    response = sign_up(client, run_tasks, password="12345678")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_password_error"' in page
    assert "数字だけ" in page or "数字しか" in page
    assert 'value="Hanako.Soja@Example.jp"' in page
    assert not User.objects.exists()
    assert mail.outbox == []


def test_a_bad_address_is_named_at_its_field(client, run_tasks):
    page = sign_up(client, run_tasks, email="hanako@").content.decode()
    assert "メールアドレスを確かめてください" in page
    assert not User.objects.exists()


def test_signing_up_with_a_registered_address_tells_its_owner_only(client, run_tasks):
    sign_up(client, run_tasks)
    client.post(link_in(mail.outbox[0]))
    client.logout()
    response = sign_up(client, run_tasks, password="another-pass-2026")
    assert response["Location"] == "/my/signup/sent/"
    assert User.objects.count() == 1
    assert "すでに登録されています" in mail.outbox[1].body
    # Her password is unchanged.
    login = {"username": "hanako.soja@example.jp", "password": PASSWORD}
    assert client.post("/my/login/", login)["Location"] == "/my/"


def test_password_reset_by_mail(client, run_tasks):
    sign_up(client, run_tasks)
    client.post(link_in(mail.outbox[0]))
    client.logout()
    with run_tasks():
        response = client.post("/my/password/reset/", {"email": EMAIL})
    assert response["Location"] == "/my/password/reset/sent/"
    assert len(mail.outbox) == 2
    assert "パスワードの再設定" in mail.outbox[1].subject
    path = link_in(mail.outbox[1])
    form = client.get(path, follow=True)
    assert "新しいパスワード" in form.content.decode()
    new = "umi-no-hi-2026-07"
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}, follow=True
    )
    assert "パスワードを変えました" in done.content.decode()
    assert client.post("/my/login/", {"username": EMAIL, "password": new})["Location"] == "/my/"
    # The link is spent.
    assert "このリンクは使えません" in client.get(path, follow=True).content.decode()


def test_password_reset_for_an_unknown_or_staff_address_mails_nothing(client, run_tasks):
    f.clerk(email="clerk@example.jp")
    with run_tasks():
        response = client.post("/my/password/reset/", {"email": "nobody@example.jp"})
        client.post("/my/password/reset/", {"email": "clerk@example.jp"})
    assert response["Location"] == "/my/password/reset/sent/"
    assert mail.outbox == []


def test_the_mail_waits_in_the_queue_holding_the_account_id_only(
    client, django_capture_on_commit_callbacks
):
    """Without a worker the mail waits as a queued task; no address or link is in it."""
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/my/signup/", {"email": EMAIL, "password": PASSWORD})
    assert mail.outbox == []
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs == {"args": [], "kwargs": {"user_id": User.objects.get().pk}}
