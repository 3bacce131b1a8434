"""お知らせ: her messages newest first with the unread marked, paginated; opening one marks it
read; nobody else's can be reached."""

from __future__ import annotations

import pytest

from sango.core.tests import factories as f
from sango.notifications.models import Message
from sango.notifications.services import notify

pytestmark = pytest.mark.django_db


def tell(user, n: int):
    return notify(recipients=[user], key=f"test:{n}", subject=f"お知らせ{n}番", body=f"本文{n}")[0]


def test_her_messages_newest_first_with_the_unread_marked(client_for, new_mother):
    mother = new_mother()
    first, second = tell(mother.user, 1), tell(mother.user, 2)
    tell(new_mother().user, 3)
    page = client_for(mother.user).get("/my/messages/").content.decode()
    assert page.index("お知らせ2番") < page.index("お知らせ1番")
    assert "お知らせ3番" not in page
    assert page.count("未読") == 2
    opened = client_for(mother.user).get(f"/my/messages/{first.pk}/").content.decode()
    assert "本文1" in opened
    first.refresh_from_db()
    assert first.read_at is not None
    assert client_for(mother.user).get("/my/messages/").content.decode().count("未読") == 1
    assert second.read_at is None


def test_the_list_is_paginated_and_its_queries_do_not_grow(
    client_for, new_mother, django_assert_max_num_queries
):
    mother = new_mother()
    for n in range(45):
        tell(mother.user, n)
    client = client_for(mother.user)
    with django_assert_max_num_queries(8):
        page = client.get("/my/messages/").content.decode()
    assert page.count('class="messages__item') == 20
    assert "1 / 3 ページ" in page
    assert "お知らせ0番" in client.get("/my/messages/?page=3").content.decode()


def test_another_mothers_message_is_not_found(client_for, new_mother):
    other = tell(new_mother().user, 1)
    response = client_for(new_mother().user).get(f"/my/messages/{other.pk}/")
    assert response.status_code == 404
    assert Message.objects.get().read_at is None


@pytest.mark.parametrize("path", ["/my/messages/", "/my/messages/1/"])
def test_access(client, client_for, path):
    assert client.get(path)["Location"].startswith("/my/login/")
    assert client_for(f.clerk()).get(path).status_code == 403
    assert client_for(f.facility_staff("kaneko-josanin")).get(path).status_code == 403
