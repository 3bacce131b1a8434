"""The paper before the decision, through the pages: 利用申請書 entry, 受付 of a draft, the
聞き取り調査, the household tier, the documents received and the 担当者."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sango.applications.models import Application, Interview, TierBasis
from sango.applications.services import application_create
from sango.audit.models import AuditEvent
from sango.bookings.models import Booking
from sango.core.tests import factories as f
from sango.core.wareki import wareki
from sango.mothers.models import Mother
from sango.municipalities.models import Office

Status = Application.Status
NEW = reverse("staff:application_new")
CASE_PAGES = ["application_submit", "interview", "tier", "documents", "assign"]


def _paper(**overrides) -> dict:
    """What a clerk types from a 総社市 利用申請書 (a baby born ten days ago, a provisional
    booking at かねこ助産院)."""
    born = f.days_ago(10)
    paper = {
        "once": "paper-1",
        "submitted_on": timezone.localdate().isoformat(),
        "channel": "in_person",
        "office": str(Office.objects.get(municipality__code=f.SOJA, code="kodomo").pk),
        "name": "受付 花子",
        "name_kana": "うけつけ はなこ",
        "birth_date": "1994-05-20",
        "postal_code": "719-1131",
        "address": "岡山県総社市中央1-1-1",
        "phone": "0866-92-8261",
        "infant1_birth_date": born.isoformat(),
        "residence": "resident",
        "requested_stay": "3",
        "facility": str(f.facility("kaneko-josanin").pk),
        "booking1_facility": str(f.facility("kaneko-josanin").pk),
        "booking1_service": "stay",
        "booking1_start_date": (born + timedelta(days=20)).isoformat(),
        "booking1_end_date": (born + timedelta(days=21)).isoformat(),
    }
    return paper | overrides


def _main(response) -> str:
    return response.content.decode().split('<main id="main"', 1)[1]


# --- 利用申請書 --------------------------------------------------------------------------------


def test_the_entry_form_offers_only_what_the_programme_offers(client_for, clerk):
    page = _main(client_for(clerk).get(NEW))
    assert "総社市役所 こども課 母子保健係" in page
    assert 'value="in_person"' in page and "窓口" in page
    assert 'name="by_proxy"' not in page  # 総社市 takes no proxy applications
    assert "短期入所（ショートステイ）型（泊）" in page
    assert "居宅訪問（アウトリーチ）型（回）" in page
    assert "かねこ助産院" in page
    assert 'data-postal-url="/staff/postal/"' in page
    assert 'data-postal-lookup="id_address"' in page
    assert "stay" not in page.replace('value="stay"', "").replace("requested_stay", "")


def test_a_clerk_enters_a_paper_application_and_lands_on_the_case(client_for, clerk):
    response = client_for(clerk).post(NEW, _paper(), follow=True)
    application = Application.objects.get()
    assert response.redirect_chain[-1][0] == reverse("staff:case", args=[application.pk])
    assert "利用申請を受け付けました。" in response.content.decode()
    assert application.status == Status.SUBMITTED
    assert (application.channel, application.office.code) == ("in_person", "kodomo")
    assert application.requested == {"stay": 3}
    assert application.facility.slug == "kaneko-josanin"
    assert application.mother.name_kana == "ウケツケ ハナコ"
    assert application.mother.infants.count() == 1
    assert Booking.objects.get().application == application


def test_full_width_digits_and_wareki_dates_are_read(client_for, clerk):
    paper = _paper(
        birth_date="平成6年5月20日",
        postal_code="７１９－１１３１",
        phone="０８６６（９２）８２６１",
        infant1_birth_date=wareki(f.days_ago(10)),  # 令和8年11月22日
        requested_stay="３",
        booking1_facility="",
        booking1_service="",
        booking1_start_date="",
        booking1_end_date="",
    )
    assert client_for(clerk).post(NEW, paper).status_code == 302
    mother = Mother.objects.get()
    assert (mother.birth_date, mother.postal_code, mother.phone) == (
        date(1994, 5, 20),
        "719-1131",
        "0866-92-8261",
    )
    assert mother.infants.get().birth_date == f.days_ago(10)
    assert Application.objects.get().requested == {"stay": 3}


def test_an_impossible_date_is_shown_at_its_field_and_everything_typed_is_kept(client_for, clerk):
    response = client_for(clerk).post(NEW, _paper(infant1_birth_date="令和8年2月30日"))
    page = _main(response)
    assert response.status_code == 200
    assert "入力内容を確認してください" in page
    assert 'href="#id_infant1_birth_date"' in page
    assert "日付として読めません" in page.split('id="id_infant1_birth_date_field"')[1][:600]
    assert 'value="令和8年2月30日"' in page
    assert 'value="うけつけ はなこ"' in page
    assert 'value="3"' in page  # requested_stay
    assert not Mother.objects.exists() and not Application.objects.exists()


def test_a_missing_name_and_an_unknown_postal_code_are_both_shown(client_for, clerk):
    page = _main(client_for(clerk).post(NEW, _paper(name="", postal_code="000-0000")))
    assert "この項目は必須です。" in page.split('id="id_name_field"')[1][:400]
    assert "この郵便番号は見つかりません。" in page.split('id="id_postal_code_field"')[1][:500]
    assert not Mother.objects.exists()


def test_a_double_submit_saves_once(client_for, clerk):
    client = client_for(clerk)
    first = client.post(NEW, _paper())
    second = client.post(NEW, _paper())
    assert Application.objects.count() == 1 and Mother.objects.count() == 1
    assert second.status_code == 302 and second["Location"] == first["Location"]


def test_a_refused_booking_is_shown_at_its_row_and_nothing_is_saved(client_for, clerk):
    paper = _paper(
        booking1_facility=str(f.facility("kunitomi-clinic").pk), booking1_service="visit"
    )
    page = _main(client_for(clerk).post(NEW, paper))
    error = page.split('id="id_booking1_service_field"')[1][:500]
    assert "この施設ではこのサービスを実施していません。" in error
    assert not Mother.objects.exists() and not Booking.objects.exists()


def test_a_half_filled_booking_row_asks_for_the_rest(client_for, clerk):
    page = _main(client_for(clerk).post(NEW, _paper(booking1_end_date="")))
    assert (
        "仮予約の欄をすべて入力してください。"
        in page.split('id="id_booking1_end_date_field"')[1][:400]
    )


def test_a_temporary_return_needs_the_home_municipality(client_for, clerk):
    page = _main(client_for(clerk).post(NEW, _paper(residence="temporary_return")))
    error = page.split('id="id_home_municipality_field"')[1][:500]
    assert "お住まいの市町村を入力してください" in error
    assert not Mother.objects.exists()


def test_an_open_application_of_the_same_mother_must_be_confirmed(client_for, clerk):
    mother = f.mother_with_baby(born=f.days_ago(10))
    mother.name_kana, mother.birth_date = "ウケツケ ハナコ", date(1994, 5, 20)
    mother.save()
    open_one = f.submitted_application(mother=mother, staff=clerk)
    client = client_for(clerk)
    page = _main(client.post(NEW, _paper(name_kana="ｳｹﾂｹﾊﾅｺ")))
    assert "同じ方の申請が進行中です" in page
    assert reverse("staff:case", args=[open_one.pk]) in page
    assert 'value="ｳｹﾂｹﾊﾅｺ"' in page
    assert Application.objects.count() == 1
    response = client.post(NEW, _paper(name_kana="ｳｹﾂｹﾊﾅｺ", duplicate_confirmed="on"))
    assert response.status_code == 302
    assert Application.objects.count() == 2
    assert Mother.objects.count() == 1  # the registered mother, not a second record


def test_kumamoto_shows_the_usage_card_message(client_for, ward_clerk):
    paper = _paper(
        office=str(ward_clerk.office_id), facility="", booking1_facility="", booking1_service=""
    )
    for name in ("booking1_start_date", "booking1_end_date", "requested_stay"):
        paper.pop(name)
    page = _main(client_for(ward_clerk).post(NEW, paper))
    assert "この期間は事前申請ではなく利用カード方式です（申請は不要です）。" in page
    assert not Mother.objects.exists()


def test_kumamoto_before_usage_cards_takes_a_proxy_and_its_documents(client_for, ward_clerk):
    client = client_for(ward_clerk)
    page = _main(client.post(NEW, {"submitted_on": "R6.3.11"}))  # only the day: fields for it
    assert 'name="by_proxy"' in page and "郵送" in page and "世帯調書及び同意書" in page
    assert "転入された方で、非課税世帯の場合のみ" in page
    paper = {
        "once": "kumamoto-1",
        "submitted_on": "令和6年3月11日",
        "channel": "post",
        "by_proxy": "on",
        "proxy_name": "受付 太郎",
        "proxy_relationship": "夫",
        "proxy_id_document": "運転免許証",
        "attorney_letter_received": "on",
        "office": str(ward_clerk.office_id),
        "name": "受付 花子",
        "name_kana": "ウケツケ ハナコ",
        "birth_date": "1994-05-20",
        "postal_code": "860-0806",
        "address": "熊本県熊本市中央区花畑町",
        "phone": "096-328-2419",
        "infant1_birth_date": "2024-02-10",
        "residence": "resident",
        "document1": "on",
        "document2": "on",
    }
    assert client.post(NEW, paper).status_code == 302
    application = Application.objects.get()
    assert application.by_proxy and application.attorney_letter_received
    assert application.documents_received == ["熊本市産後ケア事業利用申請書", "世帯調書及び同意書"]
    assert timezone.localtime(application.submitted_at).date() == date(2024, 3, 11)


def test_a_proxy_without_the_letter_of_attorney_is_refused_at_the_field(client_for, ward_clerk):
    paper = {
        "once": "kumamoto-2",
        "submitted_on": "2024-03-11",
        "channel": "in_person",
        "by_proxy": "on",
        "proxy_name": "受付 太郎",
        "office": str(ward_clerk.office_id),
        "name": "受付 花子",
        "name_kana": "ウケツケ ハナコ",
        "birth_date": "1994-05-20",
        "postal_code": "860-0806",
        "address": "熊本市中央区",
        "phone": "096-328-2419",
        "residence": "resident",
    }
    page = _main(client_for(ward_clerk).post(NEW, paper))
    assert "委任状の受領が必要です" in page.split('id="id_attorney_letter_received_field"')[1][:500]
    assert not Application.objects.exists()


# --- the steps of a case ----------------------------------------------------------------------


def test_a_draft_is_received_through_its_page(client_for, clerk):
    draft = application_create(actor=clerk, mother=f.mother_with_baby(born=f.days_ago(5)))
    url = reverse("staff:application_submit", args=[draft.pk])
    client = client_for(clerk)
    assert "受付方法" in _main(client.get(url))
    data = {"once": "r1", "submitted_on": "R8.12.1", "channel": "in_person"}
    response = client.post(url, data)
    assert response["Location"] == reverse("staff:case", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    assert timezone.localtime(draft.submitted_at).date() == date(2026, 12, 1)


def test_a_received_application_has_no_receive_form(client_for, clerk):
    application = f.submitted_application(mother=f.mother_with_baby(born=f.days_ago(5)))
    page = _main(client_for(clerk).get(reverse("staff:application_submit", args=[application.pk])))
    assert "この手続きはできません" in page
    assert 'name="channel"' not in page


def _interview(**overrides) -> dict:
    return {
        "once": "i1",
        "conducted_on": "令和8年12月1日",
        "conducted_time": "１０：３０",
        "method": "phone",
        "needs_found": ["support_needed"],
        "assessment": "夜間の授乳で睡眠不足。",
        "facility_note": "左の乳房に痛みあり。授乳姿勢の確認をお願いします。",
    } | overrides


def test_the_interview_is_recorded_with_the_note_for_the_facility(client_for, clerk):
    application = f.submitted_application(mother=f.mother_with_baby(born=f.days_ago(5)))
    url = reverse("staff:interview", args=[application.pk])
    client = client_for(clerk)
    page = _main(client.get(url))
    assert "総社市こども家庭センターや産婦健康診査での相談等によって支援が必要" in page
    assert "医療の必要がある" in page and "面接" in page and "電話" in page
    assert "利用券を確認した施設に表示されます。" in page
    assert "事務 総社" in page  # the one who records it
    response = client.post(url, _interview())
    assert response["Location"] == reverse("staff:case", args=[application.pk])
    interview = Interview.objects.get()
    assert interview.conducted_by == clerk and interview.method == "phone"
    assert timezone.localtime(interview.conducted_at).strftime("%Y-%m-%d %H:%M") == (
        "2026-12-01 10:30"
    )
    assert interview.needs_found == ["support_needed"]
    assert interview.facility_note.startswith("左の乳房に痛みあり")
    application.refresh_from_db()
    assert application.status == Status.INTERVIEWED
    client.post(url, _interview())  # the same token again: saved once
    assert Interview.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("conducted_on", "令和8年2月30日", "日付として読めません"),
        ("conducted_time", "25:99", "時刻は 10:30 の形で入力してください。"),
        ("method", "", "この項目は必須です。"),
        ("facility_note", "あ" * 401, "401"),
    ],
)
def test_bad_interview_input_is_shown_and_nothing_saved(client_for, clerk, field, typed, message):
    application = f.submitted_application(mother=f.mother_with_baby(born=f.days_ago(5)))
    url = reverse("staff:interview", args=[application.pk])
    page = _main(client_for(clerk).post(url, _interview(**{field: typed})))
    assert message in page.split(f'id="id_{field}_field"')[1][:800]
    assert "夜間の授乳で睡眠不足。" in page
    assert not Interview.objects.exists()


def test_the_tier_is_checked_on_the_city_ledger(client_for, clerk):
    application = f.submitted_application(mother=f.mother_with_baby(born=f.days_ago(5)))
    url = reverse("staff:tier", args=[application.pk])
    client = client_for(clerk)
    page = _main(client.get(url))
    assert "市民税非課税世帯" in page and "上記以外の方" in page and "市の台帳で確認" in page
    assert "tax_exempt<" not in page
    data = {"once": "t1", "tier": "tax_exempt", "tier_basis": "ledger", "checked_on": "R8.11.30"}
    assert client.post(url, data)["Location"] == reverse("staff:case", args=[application.pk])
    application.refresh_from_db()
    assert (application.tier, application.tier_basis) == ("tax_exempt", TierBasis.LEDGER)
    event = AuditEvent.objects.get(action="application.verify_tier")
    assert event.after["checked_on"] == "2026-11-30"


def test_a_temporary_return_is_checked_at_the_home_municipality(client_for, clerk):
    application = f.submitted_application(
        mother=f.mother_with_baby(born=f.days_ago(5)),
        staff=clerk,
        residence="temporary_return",
        home_municipality="岡山県倉敷市",
    )
    page = _main(client_for(clerk).get(reverse("staff:tier", args=[application.pk])))
    assert "住所地の市町村の証明書で確認します" in page and "岡山県倉敷市" in page


def test_a_tier_without_a_choice_is_refused_and_kept(client_for, clerk):
    application = f.submitted_application(mother=f.mother_with_baby(born=f.days_ago(5)))
    url = reverse("staff:tier", args=[application.pk])
    data = {"once": "t2", "tier_basis": "certificate", "checked_on": "2026-02-30"}
    page = _main(client_for(clerk).post(url, data))
    assert "この項目は必須です。" in page.split('id="id_tier_field"')[1][:600]
    assert "日付として読めません" in page.split('id="id_checked_on_field"')[1][:600]
    assert 'value="certificate" id="id_tier_basis_1" required checked' in page
    application.refresh_from_db()
    assert application.tier == ""


def test_documents_are_ticked_and_unticked(client_for, ward_clerk):
    mother = f.mother_with_baby(code=f.KUMAMOTO, born=date(2024, 2, 10))
    application = f.submitted_application(
        mother=mother, staff=ward_clerk, submitted_at=f.at(date(2024, 3, 11), 10)
    )
    url = reverse("staff:documents", args=[application.pk])
    client = client_for(ward_clerk)
    assert "市町村民税非課税を証明するもの" in _main(client.get(url))
    client.post(url, {"once": "d1", "document1": "on", "document2": "on"})
    application.refresh_from_db()
    assert application.documents_received == ["熊本市産後ケア事業利用申請書", "世帯調書及び同意書"]
    page = _main(client.get(url))
    assert 'name="document2" id="id_document2" checked' in page
    client.post(url, {"once": "d2", "document2": "on"})
    application.refresh_from_db()
    assert application.documents_received == ["世帯調書及び同意書"]


def test_a_programme_without_documents_says_so(client_for, clerk):
    application = f.submitted_application(mother=f.mother_with_baby(born=f.days_ago(5)))
    page = _main(client_for(clerk).get(reverse("staff:documents", args=[application.pk])))
    assert "この制度では提出書類の指定はありません。" in page


def test_a_case_is_handed_to_a_colleague(client_for, clerk, ward_clerk):
    colleague = f.clerk(office=clerk.office, first_name="保健", last_name="師")
    application = f.submitted_application(
        mother=f.mother_with_baby(born=f.days_ago(5)), staff=clerk
    )
    url = reverse("staff:assign", args=[application.pk])
    client = client_for(clerk)
    page = _main(client.get(url))
    assert "保健 師" in page and ward_clerk.username not in page
    client.post(url, {"once": "a1", "assignee": str(colleague.pk)})
    application.refresh_from_db()
    assert application.assigned_to == colleague
    assert AuditEvent.objects.filter(action="application.assign").count() == 1


def test_a_worker_of_another_municipality_cannot_be_chosen(client_for, clerk, ward_clerk):
    application = f.submitted_application(
        mother=f.mother_with_baby(born=f.days_ago(5)), staff=clerk
    )
    url = reverse("staff:assign", args=[application.pk])
    page = _main(client_for(clerk).post(url, {"once": "a2", "assignee": str(ward_clerk.pk)}))
    assert "正しく選択してください" in page
    application.refresh_from_db()
    assert application.assigned_to == clerk


# --- who may use these pages -------------------------------------------------------------------


def _urls(application: Application) -> list[str]:
    return [NEW] + [reverse(f"staff:{name}", args=[application.pk]) for name in CASE_PAGES]


def test_anonymous_visitors_are_sent_to_the_login(client_for):
    application = f.application_in(Status.SUBMITTED)
    for url in _urls(application):
        response = client_for(None).get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("staff:login"))


@pytest.mark.parametrize("role", ["mother", "facility"])
def test_mothers_and_facilities_get_403(client_for, role):
    application = f.application_in(Status.SUBMITTED)
    user = f.mother_user() if role == "mother" else f.facility_staff("kaneko-josanin")
    for url in _urls(application):
        assert client_for(user).get(url).status_code == 403, url
        assert client_for(user).post(url, {"once": "x"}).status_code == 403, url


def test_another_municipalitys_case_is_not_found(client_for, ward_clerk):
    application = f.application_in(Status.SUBMITTED)
    for url in _urls(application)[1:]:
        assert client_for(ward_clerk).get(url).status_code == 404, url
        assert client_for(ward_clerk).post(url, {"once": "x"}).status_code == 404, url


def test_these_steps_are_a_clerks_not_only_an_approvers(client_for, clerk):
    """None of these pages is a decision: a clerk uses every one of them."""
    application = f.application_in(Status.SUBMITTED)
    for url in _urls(application):
        assert client_for(clerk).get(url).status_code == 200, url


# --- the number of queries does not grow with the data -----------------------------------------


def _queries(client, url: str, data: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.post(url, data) if data else client.get(url)
    return len(captured)


def test_the_duplicate_warning_query_count_does_not_grow(client_for, clerk):
    def same_mother() -> None:
        mother = f.mother_with_baby(born=f.days_ago(10))
        mother.name_kana, mother.birth_date = "ウケツケ ハナコ", date(1994, 5, 20)
        mother.save()
        f.submitted_application(mother=mother, staff=clerk)

    client = client_for(clerk)
    same_mother()
    one = _queries(client, NEW, _paper())
    for _ in range(9):
        same_mother()
    assert _queries(client, NEW, _paper()) <= one


def test_the_assign_page_query_count_does_not_grow(client_for, clerk):
    application = f.submitted_application(
        mother=f.mother_with_baby(born=f.days_ago(5)), staff=clerk
    )
    url = reverse("staff:assign", args=[application.pk])
    client = client_for(clerk)
    one = _queries(client, url)
    for _ in range(9):
        f.clerk(office=clerk.office)
    assert _queries(client, url) <= one
