"""The way in: マイページ's login admits mothers' accounts only, and her first page shows her
own cases and no one else's."""

from __future__ import annotations

import pytest

from sango.core.tests import factories as f

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
    assert "正しいユーザー名とパスワードを入力してください" in response.content.decode()


def test_home_shows_her_application_and_not_another_mothers(client_for, new_mother):
    hers = new_mother()
    other = new_mother()
    f.submitted_application(mother=hers)
    f.application_in("approved", mother=other)
    page = client_for(hers.user).get("/my/").content.decode()
    assert "受付済み" in page
    assert "承認" not in page.replace("承認通知", "")
