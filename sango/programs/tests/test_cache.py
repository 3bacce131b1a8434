"""What the programme pages keep between requests (sango/programs/cache.py): kept per revision,
day and language, dropped when a document is loaded, never personal, and no SQL at all."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from sango.municipalities.services import program_sync, programmes_sync
from sango.programs.cache import Layout, Slots, _Unkept, _Visitor
from sango.programs.registry import get_registry
from sango.rules.program import default_program_dir

SOJA = "332089"
CONTENT = "programs/_detail.html"
STAY = {
    "service": "stay",
    "date": "2026-05-10",
    "tier": "welfare",
    "birth_date": "2026-03-01",
    "facility": "kaneko-josanin",
    "fee": "30000",
}


def detail(client, code: str = SOJA, **headers):
    return client.get(reverse("programs:detail", args=[code]), **headers)


def rendered(response) -> list[str]:
    """The templates a request rendered (Django's test client records template_rendered)."""
    return [t.name for t in response.templates]


def test_the_second_request_renders_no_template(client):
    first, second = detail(client), detail(client)

    assert CONTENT in rendered(first) and "base.html" in rendered(first)
    assert rendered(second) == []
    assert second.status_code == 200 and second["Content-Type"] == "text/html; charset=utf-8"
    assert first.content == second.content.replace(_token(second).encode(), _token(first).encode())


def test_a_visitor_with_a_session_gets_the_frame_rendered(client):
    detail(client)
    client.cookies["sessionid"] = "anything"

    response = detail(client)
    assert rendered(response) == ["programs/detail.html", "base.html"]  # the content is kept


def test_the_frame_is_kept_without_the_address(client):
    """The language switcher returns to the page's address, which may hold what was typed."""
    url = reverse("programs:detail", args=[SOJA])
    for params, address in (
        ({}, url),
        ({"on": "2025-03-31"}, f"{url}?on=2025-03-31"),
        ({"on": "2025-03-31", "utm": "<x>"}, f"{url}?on=2025-03-31&amp;utm=%3Cx%3E"),
    ):
        for _ in range(2):
            response = client.get(url, params)
            assert f'<input type="hidden" name="next" value="{address}">' in (
                response.content.decode()
            )
    assert "base.html" not in rendered(response)


def test_a_frame_sees_the_request_without_what_the_visitor_sent(rf):
    request = rf.get("/programmes/332089/quote/?birth_date=2026-02-14", HTTP_COOKIE="a=b")
    seen = _Visitor(request)

    assert seen.get_full_path() == Slots()["address"] and not seen.GET and not seen.COOKIES
    assert "QUERY_STRING" not in seen.META and "HTTP_COOKIE" not in seen.META
    assert seen.path == "/programmes/332089/quote/"
    with pytest.raises(_Unkept):
        seen.build_absolute_uri()


def test_a_frame_with_a_mangled_hole_is_not_kept():
    assert Layout(f"<p>{Slots()['content']}</p>").is_whole({"content"})
    assert not Layout(f"<p>{Slots()['other']}</p>").is_whole({"content"})
    assert not Layout('<a href="?next=%00slot%3Aaddress%00">').is_whole({"address"})


def test_each_day_is_kept_apart(client):
    url = reverse("programs:detail", args=[SOJA])
    today, before = client.get(url), client.get(url, {"on": "2025-03-31"})

    assert CONTENT in rendered(before)
    assert "26,000円" in today.content.decode() and "21,000円" in before.content.decode()
    assert rendered(client.get(url, {"on": "2025-03-31"})) == []


def test_a_day_typed_otherwise_is_rendered_and_not_kept(client):
    url = reverse("programs:detail", args=[SOJA])
    for _ in range(2):
        response = client.get(url, {"on": "２０２５／３／３１"})
        assert CONTENT in rendered(response)
        assert 'value="２０２５／３／３１"' in response.content.decode()


def test_english_after_japanese_shows_english(client):
    japanese = detail(client, HTTP_ACCEPT_LANGUAGE="ja")
    english = detail(client, HTTP_ACCEPT_LANGUAGE="en")

    assert "利用上限" in japanese.content.decode()
    assert CONTENT in rendered(english)
    html = english.content.decode()
    assert "Caps" in html and "利用上限" not in html and "¥26,000" in html
    again = detail(client, HTTP_ACCEPT_LANGUAGE="ja")
    assert CONTENT not in rendered(again) and "利用上限" in again.content.decode()


def test_a_kept_page_has_each_visitors_own_csrf_token():
    """The language switcher posts with the CSRF token: it is never part of what is kept."""
    detail(Client())  # kept now
    visitor = Client(enforce_csrf_checks=True)
    response = detail(visitor)
    assert CONTENT not in rendered(response)

    switched = visitor.post(
        reverse("set_language"),
        {"language": "en", "next": "/", "csrfmiddlewaretoken": _token(response)},
    )
    assert switched.status_code == 302


@pytest.mark.django_db
def test_loading_a_document_drops_the_kept_pages(client, django_capture_on_commit_callbacks):
    detail(client)
    assert CONTENT not in rendered(detail(client))

    with django_capture_on_commit_callbacks(execute=True):
        program_sync(program=get_registry().get(SOJA))

    assert CONTENT in rendered(detail(client))
    assert CONTENT in rendered(detail(client, "431001"))  # never kept before either


@pytest.mark.django_db
def test_a_reloaded_document_shows_its_change(
    client, settings, tmp_path: Path, django_capture_on_commit_callbacks
):
    document = tmp_path / "332089-soja.yaml"
    shutil.copy(default_program_dir() / "332089-soja.yaml", document)
    settings.SANGO_PROGRAM_DIRS = [tmp_path]
    get_registry.cache_clear()
    try:
        assert "三宅医院" in detail(client).content.decode()

        document.write_text(document.read_text().replace("三宅医院", "みやけ医院"))
        get_registry.cache_clear()
        with django_capture_on_commit_callbacks(execute=True):
            programmes_sync(registry=get_registry())

        html = detail(client).content.decode()
        assert "みやけ医院" in html and "三宅医院" not in html
    finally:
        get_registry.cache_clear()


def test_an_unreachable_cache_still_serves_the_page(client):
    with mock.patch("sango.programs.cache.cache.get_many", side_effect=ConnectionError("no redis")):
        response = detail(client)

    assert response.status_code == 200
    assert "短期入所（ショートステイ）型" in response.content.decode()


# --- no SQL -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{}, {"on": "2025-03-31"}, {"on": "yesterday"}])
def test_the_programme_page_makes_no_query(client, django_assert_num_queries, params):
    url = reverse("programs:detail", args=[SOJA])
    with django_assert_num_queries(0):
        client.get(url, params)  # rendered
        client.get(url, params)  # kept (or rendered again, for an unreadable day)


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{}, STAY, {**STAY, "date": "2026-13-01"}])
def test_the_simulator_makes_no_query(client, django_assert_num_queries, params):
    url = reverse("programs:quote", args=[SOJA])
    with django_assert_num_queries(0):
        client.post(url, params)
        client.post(url, params)


# --- the simulator's shared fields ------------------------------------------------------------


def test_what_one_visitor_typed_never_shows_to_the_next(client):
    url = reverse("programs:quote", args=[SOJA])
    client.post(url, {**STAY, "birth_date": "2026-02-14", "fee": "31234", "used_stay": "2"})
    client.post(url, {**STAY, "tier": ""})  # an error at the tier

    html = client.get(url).content.decode()
    assert "2026-02-14" not in html and "31234" not in html and 'value="2"' not in html
    assert "世帯の区分を選んでください。" not in html and "field--error" not in html
    assert '<option value="welfare" selected>' not in html


def test_the_simulators_layout_is_kept_for_every_day_of_a_version(client):
    url = reverse("programs:quote", args=[SOJA])
    first = client.post(url, STAY)
    other_day = client.post(url, {**STAY, "date": "2026-05-11"})
    older_version = client.post(url, {**STAY, "date": "2025-03-31"})

    assert "programs/_quote.html" in rendered(first)
    assert "programs/_quote.html" not in rendered(other_day)
    assert "programs/_quote.html" in rendered(older_version)
    assert 'value="2026-05-11"' in other_day.content.decode()


def test_the_simulator_in_english_after_japanese(client):
    url = reverse("programs:quote", args=[SOJA])
    client.post(url, STAY, HTTP_ACCEPT_LANGUAGE="ja")
    html = client.post(url, STAY, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Fee estimate" in html and "サービスを選んでください" not in html
    assert re.search(r'<option value="">[A-Za-z ]+</option>', html)


def _token(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())[1]
