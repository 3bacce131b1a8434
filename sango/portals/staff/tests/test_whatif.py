"""制度改正の試算 through the Django client: the copy of the document prefilled, a run's
figures, an invalid draft's problems with nothing replayed, an upload, bad dates, who may use
it, and a query count that does not grow with the uses."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sango.core.tests import factories as f
from sango.programs.models import WhatIfDraft
from sango.programs.whatif import current_document_text, draft_with_cap_limit
from sango.usage.models import Use
from sango.usage.services import use_record

pytestmark = pytest.mark.django_db
URL = reverse("staff:whatif")
PERIOD = {"date_from": "R8.4.1", "date_to": "令和8年9月30日"}


def _record(mothers: int = 1, first: int = 0) -> None:
    """Each mother: 3 nights and 4 nights at かねこ助産院 (30,000円 a night, taxable)."""
    kaneko = f.facility_staff("kaneko-josanin")
    for n in range(first, first + mothers):
        mother = f.mother_with_baby(born=date(2026, 3, 1))
        card = f.voucher_for(f.approved_application(mother=mother, grants={"stay": 7}))
        for key, day, nights in ((f"{n}a", date(2026, 4, 1), 3), (f"{n}b", date(2026, 5, 1), 4)):
            use_record(
                voucher_id=card.pk,
                facility=kaneko.facility,
                actor=kaneko,
                idempotency_key=key,
                service="stay",
                day=day,
                quantity=nights,
                fee=30000,
            )


def test_the_page_offers_a_copy_of_the_document_in_force(client_for, clerk) -> None:
    response = client_for(clerk).get(URL)
    assert response.status_code == 200
    form = response.context["form"]
    assert form["document"].value() == current_document_text(f.SOJA)
    assert "# 総社市 産後ケア事業" in response.content.decode()
    assert form["date_from"].value() is not None and form["date_to"].value() is not None
    assert "試算の結果" not in response.content.decode()


def test_a_run_shows_the_figures_beside_what_was_paid(client_for, boss) -> None:
    _record()
    text = draft_with_cap_limit(current_document_text(f.SOJA), cap="stay", limit=5)
    response = client_for(boss).post(URL, {"document": text, **PERIOD})
    assert response.status_code == 200
    page = response.content.decode()
    summary = response.context["run"].summary
    assert summary.total.subsidy_paid == sum(Use.objects.values_list("subsidy", flat=True))
    # The 4-night stay has 2 nights left under a 5-night cap: refused, 68,000円 not paid.
    assert summary.total.subsidy_change == -68000
    assert "-68,000円" in page and "+68,000円" in page
    assert "短期入所（ショートステイ）型の上限を超える" in page
    assert "上記以外の方" in page  # tiers in the programme's words
    assert "利用記録のある方のみ" in page


def test_an_unchanged_copy_differs_by_nothing(client_for, clerk) -> None:
    _record()
    response = client_for(clerk).post(URL, {"document": current_document_text(f.SOJA), **PERIOD})
    total = response.context["run"].summary.total
    assert (total.uses, total.subsidy_change, total.copay_change) == (2, 0, 0)


def test_an_invalid_draft_shows_its_problems_and_replays_nothing(client_for, clerk) -> None:
    _record()
    text = current_document_text(f.SOJA).replace("tiers: *tiers", "tiers: *tierz", 1)
    response = client_for(clerk).post(URL, {"document": text, **PERIOD})
    page = response.content.decode()
    assert response.context["run"] is None
    assert "試算の結果" not in page
    assert "行目" in page and "YAMLとして読めません" in page
    assert response.context["form"]["document"].value() == text  # nothing typed is lost
    bad_cap = current_document_text(f.SOJA).replace(
        "limit: 7, services: [stay]", "limit: many, services: [stay]"
    )
    response = client_for(clerk).post(URL, {"document": bad_cap, **PERIOD})
    [problem] = response.context["form"].problems
    assert "versions.1.caps.0.limit" in problem.field and "行目" in problem.field
    assert "制度文書に1件の問題があります" in response.content.decode()


def test_an_uploaded_document_is_replayed_and_shown(client_for, clerk) -> None:
    _record()
    text = draft_with_cap_limit(current_document_text(f.SOJA), cap="stay", limit=5)
    upload = SimpleUploadedFile("draft.yaml", text.encode(), content_type="text/yaml")
    response = client_for(clerk).post(URL, {"document": "", "upload": upload, **PERIOD})
    assert response.context["run"].summary.total.refused == 1
    assert response.context["form"]["document"].value() == text


def test_dates_must_read_and_run_forwards(client_for, clerk) -> None:
    text = current_document_text(f.SOJA)
    response = client_for(clerk).post(
        URL, {"document": text, "date_from": "令和8年9月1日", "date_to": "R8.4.1"}
    )
    assert response.context["run"] is None
    assert "「から」より後の日付にしてください。" in response.content.decode()
    response = client_for(clerk).post(
        URL, {"document": text, "date_from": "きのう", "date_to": "R8.4.1"}
    )
    assert "日付として読めません" in response.content.decode()


def test_staff_replay_only_their_own_municipality(client_for, ward_clerk) -> None:
    _record()
    client = client_for(ward_clerk)
    response = client.post(URL, {"document": current_document_text(f.SOJA), **PERIOD})
    assert response.context["run"] is None
    assert "熊本市（431001）の制度文書で試算してください" in response.content.decode()
    response = client.post(URL, {"document": current_document_text(f.KUMAMOTO), **PERIOD})
    assert response.context["run"].summary.total.uses == 0  # 総社市's uses are not theirs


def test_who_may_open_it(client_for) -> None:
    assert client_for(None).get(URL).status_code == 302
    assert client_for(f.mother_user()).get(URL).status_code == 403
    assert client_for(f.facility_staff("kaneko-josanin")).get(URL).status_code == 403


def test_queries_do_not_grow_with_the_uses(
    client_for, clerk, django_assert_max_num_queries
) -> None:
    _record(mothers=1)
    data = {"document": current_document_text(f.SOJA), **PERIOD}
    client = client_for(clerk)
    # 15 on SQLite; PostgreSQL also gets the replay's planner settings (SET LOCAL).
    with django_assert_max_num_queries(18) as one:
        client.post(URL, data)
    _record(mothers=4, first=1)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.post(URL, data)
    assert response.context["run"].summary.total.uses == 10


def test_a_draft_is_kept_once_and_opened_again(client_for, clerk, ward_clerk) -> None:
    client = client_for(clerk)
    token = client.get(URL).context["form"]["once"].value()
    text = draft_with_cap_limit(current_document_text(f.SOJA), cap="stay", limit=10)
    data = {"document": text, "name": "宿泊を10泊に", "action": "save", "once": token}
    first = client.post(URL, data)
    again = client.post(URL, data)  # a double click
    [draft] = WhatIfDraft.objects.all()
    assert first.status_code == again.status_code == 302
    assert first.url == f"{URL}?draft={draft.pk}"
    assert (draft.name, draft.document, draft.created_by) == ("宿泊を10泊に", text, clerk)
    page = client.get(first.url)
    assert page.context["form"]["document"].value() == text
    assert "宿泊を10泊に" in page.content.decode()
    assert client_for(ward_clerk).get(first.url).status_code == 404


def test_a_draft_is_kept_only_when_valid_and_named(client_for, clerk) -> None:
    client = client_for(clerk)
    token = client.get(URL).context["form"]["once"].value()
    broken = current_document_text(f.SOJA).replace("limit: 7, services: [stay]", "limit: x")
    response = client.post(URL, {"document": broken, "name": "案", "action": "save", "once": token})
    assert response.status_code == 200 and response.context["form"].problems
    response = client.post(
        URL,
        {"document": current_document_text(f.SOJA), "name": "", "action": "save", "once": token},
    )
    assert "name" in response.context["form"].errors
    assert not WhatIfDraft.objects.exists()
