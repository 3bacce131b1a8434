"""オンライン申請 on マイページ (ゆりかご市, an invented programme that takes online and proxy
applications): the task list, each part saved as she goes, the documents uploaded or posted,
check your answers, sending once, the confirmation with its number; and who may reach it."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sango.applications.models import Application
from sango.core.tests import factories as f
from sango.uploads.models import Upload

pytestmark = pytest.mark.django_db

CERTIFICATE = "市民税の課税証明書"  # ゆりかご市's conditional document (by post allowed)


@pytest.fixture(autouse=True)
def _yurikago():
    with f.with_test_programmes():
        yield


def png(size: tuple[int, int] = (40, 30)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 90)).save(out, format="PNG")
    return SimpleUploadedFile("photo.png", out.getvalue(), content_type="image/png")


def once(html: str, prefix: str = "") -> str:
    name = f"{prefix}-once" if prefix else "once"
    return re.search(rf'name="{re.escape(name)}" value="([^"]+)"', html)[1]


def start(client, who: str = "self"):
    page = client.get("/my/apply/who/").content.decode()
    return client.post("/my/apply/who/", {"who": who, "once": once(page)})


def post_step(client, url: str, data: dict):
    page = client.get(url).content.decode()
    return client.post(url, {**data, "once": once(page)})


def document(client, answer: str, *, file=None, prefix: str = "d1"):
    page = client.get("/my/apply/documents/").content.decode()
    data = {
        "prefix": prefix,
        f"{prefix}-once": once(page, prefix),
        f"{prefix}-document": CERTIFICATE,
        f"{prefix}-answer": answer,
    }
    if file is not None:
        data[f"{prefix}-file"] = file
    return client.post("/my/apply/documents/", data)


def draft_of(mother) -> Application:
    return Application.objects.get(mother=mother, status="draft")


def fill_everything(client) -> None:
    post_step(client, "/my/apply/residence/", {"residence": "resident"})
    post_step(client, "/my/apply/needs/", {"needs": ["physical_recovery"]})
    document(client, "upload", file=png())


@pytest.fixture
def mother(new_mother):
    return new_mother(code=f.YURIKAGO)


@pytest.fixture
def client(client_for, mother):
    return client_for(mother.user)


def test_a_mother_without_details_is_sent_to_them_first(client_for):
    response = client_for(f.mother_user()).get("/my/apply/")
    assert response.status_code == 302
    assert response["Location"] == "/my/details/?next=/my/apply/"


def test_task_list_before_starting_lists_what_to_have_ready(client):
    html = client.get("/my/apply/").content.decode()
    assert "オンライン申請" in html
    assert CERTIFICATE in html
    assert "その年の1月1日にゆりかご市に住所がなかった方" in html  # the document's condition
    assert "申請をはじめる" in html


def test_starting_creates_her_draft_once_and_shows_the_tasks(client, mother):
    page = client.get("/my/apply/who/").content.decode()
    token = once(page)
    client.post("/my/apply/who/", {"who": "self", "once": token})
    client.post("/my/apply/who/", {"who": "self", "once": token})  # a double tap
    assert Application.objects.filter(mother=mother).count() == 1
    html = client.get("/my/apply/").content.decode()
    for task in ("お母さんの情報", "赤ちゃん", "お住まい（里帰り）", "いまの状態", "書類"):
        assert task in html
    assert "代理申請" not in html
    assert "未着手" in html and "まだできません" in html


def test_temporary_return_needs_her_home_municipality(client, mother):
    start(client)
    response = post_step(client, "/my/apply/residence/", {"residence": "temporary_return"})
    html = response.content.decode()
    assert "住民票のある市町村を入力してください" in html
    assert re.search(r'value="temporary_return"[^>]*checked', html)  # her choice is kept
    assert "residence" not in draft_of(mother).steps_done
    response = post_step(
        client,
        "/my/apply/residence/",
        {"residence": "temporary_return", "home_municipality": "岡山県倉敷市"},
    )
    assert response.status_code == 302
    draft = draft_of(mother)
    assert (draft.residence, draft.home_municipality) == ("temporary_return", "岡山県倉敷市")


def test_needs_are_the_programmes_words_and_one_is_required(client, mother):
    start(client)
    html = client.get("/my/apply/needs/").content.decode()
    assert "家族等から十分な家事・育児の援助が受けられない" in html
    response = post_step(client, "/my/apply/needs/", {})
    assert "あてはまるものを1つ以上選んでください" in response.content.decode()
    post_step(client, "/my/apply/needs/", {"needs": ["no_family_help", "physical_recovery"]})
    assert draft_of(mother).needs == ["physical_recovery", "no_family_help"]


def test_save_and_resume_keeps_each_part_and_its_status(client, client_for, mother):
    start(client)
    post_step(client, "/my/apply/residence/", {"residence": "resident"})
    later = client_for(mother.user)  # another evening, another session
    html = later.get("/my/apply/").content.decode()
    assert html.count("完了") >= 3  # her details, her baby, お住まい
    assert "checked" in later.get("/my/apply/residence/").content.decode()


def test_services_part_names_the_programmes_services_and_facilities(client, mother):
    start(client)
    html = client.get("/my/apply/services/").content.decode()
    assert "宿泊型" in html and "（架空）ゆりかご助産院" in html
    clinic = f.facility("yurikago-sample-clinic")
    post_step(client, "/my/apply/services/", {"service_stay": "２", "facility": clinic.pk})
    draft = draft_of(mother)
    assert draft.requested == {"stay": 2} and draft.facility == clinic


def test_a_document_posted_later_or_not_applying(client, mother):
    start(client)
    document(client, "post")
    assert draft_of(mother).documents_by_post == [CERTIFICATE]
    document(client, "not_needed")
    draft = draft_of(mother)
    assert (draft.documents_by_post, draft.documents_not_needed) == ([], [CERTIFICATE])


def test_an_upload_is_kept_privately_and_can_be_taken_back_while_draft(client, mother):
    start(client)
    response = document(client, "upload", file=png())
    assert response.status_code == 302
    upload = Upload.objects.get(mother=mother)
    assert (upload.label, upload.content_type, upload.kind) == (
        CERTIFICATE,
        "image/jpeg",
        "document",
    )
    shown = client.get(f"/my/uploads/{upload.pk}/")
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    client.post(f"/my/apply/uploads/{upload.pk}/remove/")
    assert not Upload.objects.filter(mother=mother).exists()


def test_a_file_that_is_not_a_photo_or_pdf_is_refused_next_to_the_field(client, mother):
    start(client)
    post_step(
        client,
        "/my/apply/residence/",
        {"residence": "temporary_return", "home_municipality": "倉敷市"},
    )
    text = SimpleUploadedFile(
        "letter.png", b"hello, this is not a picture", content_type="image/png"
    )
    html = document(client, "upload", file=text).content.decode()
    assert 'id="id_d1-file_error"' in html
    assert "写真（JPEG・PNG）かPDFのファイルを選んでください" in html
    assert not Upload.objects.exists()
    assert draft_of(mother).home_municipality == "倉敷市"  # what she answered before is kept


def test_a_file_too_large_is_refused(client, mother, settings):
    start(client)
    big = SimpleUploadedFile(
        "big.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), "application/pdf"
    )
    html = document(client, "upload", file=big).content.decode()
    assert "ファイルが大きすぎます（10MBまで）" in html
    assert not Upload.objects.exists()


def test_check_answers_then_send_once_gives_the_confirmation_number(client, mother):
    start(client)
    fill_everything(client)
    html = client.get("/my/apply/check/").content.decode()
    assert "産後の心身の不調があり休養が必要" in html
    assert html.count("変更") >= 6
    token = once(html)
    first = client.post("/my/apply/check/", {"once": token})
    second = client.post("/my/apply/check/", {"once": token})  # double tap
    application = Application.objects.get(mother=mother)
    assert application.status == "submitted" and application.channel == "online"
    assert first["Location"] == second["Location"] == f"/my/apply/{application.pk}/done/"
    done = client.get(first["Location"]).content.decode()
    assert "申請を受け付けました" in done and f"<strong>{application.pk}</strong>" in done
    assert "5開庁日" in done  # the programme's decision target
    assert "保健師" in done  # who interviews
    assert application.documents_received == []  # staff confirm what they hold


def test_sending_is_refused_while_a_part_is_unfinished(client, mother):
    start(client)
    post_step(client, "/my/apply/residence/", {"residence": "resident"})
    html = client.get("/my/apply/check/").content.decode()
    assert "まだ終わっていない項目があります" in html
    assert "この内容で申請する" not in html
    client.post("/my/apply/check/", {"once": "forged-token"})
    assert draft_of(mother).status == "draft"


def test_proxy_application_with_the_id_and_letter_uploaded(client, mother):
    start(client, who="proxy")
    fill_everything(client)
    html = client.get("/my/apply/").content.decode()
    assert "代理申請" in html
    proxy = client.get("/my/apply/proxy/").content.decode()
    assert "代理人の本人確認書類" in proxy and "委任状" in proxy
    response = client.post(
        "/my/apply/proxy/",
        {
            "once": once(proxy),
            "proxy_name": "試験 太郎",
            "proxy_relationship": "夫",
            "proxy_id_document": "運転免許証",
            "proxy_id_file": png(),
        },
    )
    assert response.status_code == 302  # saved without the letter of attorney, for later
    html = client.get("/my/apply/").content.decode()
    assert "入力中" in html and "まだできません" in html
    assert 'value="試験 太郎"' in client.get("/my/apply/proxy/").content.decode()
    proxy = client.get("/my/apply/proxy/").content.decode()
    client.post(
        "/my/apply/proxy/",
        {
            "once": once(proxy),
            "proxy_name": "試験 太郎",
            "proxy_relationship": "夫",
            "proxy_id_document": "運転免許証",
            "proxy_id_file": png(),
            "attorney_file": png((50, 70)),
        },
    )
    assert set(Upload.objects.values_list("kind", flat=True)) == {
        "document",
        "proxy_id",
        "attorney",
    }
    check = client.get("/my/apply/check/").content.decode()
    client.post("/my/apply/check/", {"once": once(check)})
    application = Application.objects.get(mother=mother)
    assert application.status == "submitted" and application.by_proxy
    assert application.proxy_name == "試験 太郎" and application.proxy_relationship == "夫"
    assert application.proxy_id_document.startswith("運転免許証")
    assert application.attorney_letter_received


def test_once_sent_the_apply_page_says_so(client, mother):
    start(client)
    fill_everything(client)
    check = client.get("/my/apply/check/").content.decode()
    client.post("/my/apply/check/", {"once": once(check)})
    html = client.get("/my/apply/").content.decode()
    assert "申請は受け付けられています" in html
    assert client.get("/my/apply/residence/").status_code == 404
    upload = Upload.objects.get(mother=mother)
    client.post(f"/my/apply/uploads/{upload.pk}/remove/")
    assert Upload.objects.filter(pk=upload.pk).exists()  # a sent document stays


@pytest.mark.parametrize(
    "url",
    ["/my/apply/", "/my/apply/who/", "/my/apply/check/", "/my/details/", "/my/apply/form.pdf"],
)
def test_anonymous_is_sent_to_the_login(client_for, url):
    response = client_for(None).get(url)
    assert response.status_code == 302 and response["Location"].startswith("/my/login/")


@pytest.mark.parametrize("url", ["/my/apply/", "/my/apply/check/", "/my/details/"])
def test_staff_and_facility_accounts_are_refused(client_for, url):
    assert client_for(f.clerk(f.YURIKAGO)).get(url).status_code == 403
    assert client_for(f.facility_staff("kaneko-josanin")).get(url).status_code == 403


def test_another_mothers_confirmation_and_draft_pages_are_not_found(
    client, client_for, mother, new_mother
):
    start(client)
    fill_everything(client)
    check = client.get("/my/apply/check/").content.decode()
    client.post("/my/apply/check/", {"once": once(check)})
    application = Application.objects.get(mother=mother)
    other = client_for(new_mother(code=f.YURIKAGO).user)
    assert other.get(f"/my/apply/{application.pk}/done/").status_code == 404
    assert other.get("/my/apply/check/").status_code == 404  # she has no draft of her own


def test_task_list_and_check_queries_do_not_grow_with_uploads(
    client, mother, django_assert_max_num_queries
):
    start(client)
    fill_everything(client)
    for _ in range(3):
        document(client, "upload", file=png())
    with django_assert_max_num_queries(8):
        client.get("/my/apply/")
    with django_assert_max_num_queries(14):
        client.get("/my/apply/check/")


def test_who_page_offers_no_proxy_where_the_programme_takes_none(
    client_for, new_mother, monkeypatch
):
    from sango.applications import online

    mother = new_mother(code=f.YURIKAGO)
    assert "代理の方（" in client_for(mother.user).get("/my/apply/who/").content.decode()
    # 総社市 takes no proxy; were it to take online applications, no proxy would be offered
    monkeypatch.setattr(online, "accepts_online", lambda rules: True)
    html = client_for(new_mother().user).get("/my/apply/who/").content.decode()
    assert "お母さん本人" in html and "代理の方（" not in html


def test_the_pages_render_in_english_too(client, mother):
    client.cookies["django_language"] = "en"
    start(client)
    fill_everything(client)
    for url in ("/my/apply/", "/my/apply/residence/", "/my/apply/documents/", "/my/apply/check/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'lang="en"' in response.content.decode()


def test_a_bad_proxy_file_is_refused_next_to_it_and_the_names_are_kept(client, mother):
    start(client, who="proxy")
    proxy = client.get("/my/apply/proxy/").content.decode()
    bad = SimpleUploadedFile("id.pdf", b"not a pdf at all", content_type="application/pdf")
    html = client.post(
        "/my/apply/proxy/",
        {
            "once": once(proxy),
            "proxy_name": "試験 太郎",
            "proxy_relationship": "夫",
            "proxy_id_document": "運転免許証",
            "proxy_id_file": bad,
        },
    ).content.decode()
    assert 'id="id_proxy_id_file_error"' in html
    assert 'value="試験 太郎"' in html and 'value="運転免許証"' in html
    assert not Upload.objects.exists()
