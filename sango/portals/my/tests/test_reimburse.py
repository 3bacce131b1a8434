"""県外の施設で利用した費用の請求 in マイページ: a mother with an approved 総社市 voucher claims
a stay out of area, one question per page, sees the amount before sending, and follows it."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sango.banking.services import bank_account_validate
from sango.core.tests import factories as f
from sango.reimbursements.models import Reimbursement
from sango.reimbursements.services import reimbursement_approve, reimbursement_submit
from sango.uploads import services as uploads
from sango.uploads.models import Upload

pytestmark = pytest.mark.django_db

USE = {
    "facility_name": "（サンプル）神戸ベビーケアハウス",
    "facility_address": "兵庫県神戸市中央区デモ町1-1",
    "service": "stay",
    "infants": "1",
}
ACCOUNT = {
    "bank_code": "０１６８",
    "branch_code": "191",
    "kind": "1",
    "number": "１２３４５",
    "holder": "そうじゃ はなこ",
}


def photo(name: str = "receipt.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def claim_sent(mother) -> Reimbursement:
    """What マイページ sends for ``mother`` (approved for 3 nights): a 2-night stay out of area
    that cost 50,000円, one receipt photo and her account at 中国銀行 総社支店 (0012345);
    approval would pay 34,000円 (2 nights × 17,000, 上記以外の方)."""
    voucher = f.voucher_for(f.approved_application(mother=mother, grants={"stay": 3}))
    receipt = uploads.upload_store(
        actor=mother.user, mother=mother, file=photo(), kind=Upload.Kind.RECEIPT
    )
    account = bank_account_validate(
        bank_code="0168", branch_code="191", kind="1", number="12345", holder="ソウジャ ハナコ"
    )
    return reimbursement_submit(
        voucher=voucher,
        actor=mother.user,
        facility_name=USE["facility_name"],
        facility_address=USE["facility_address"],
        service="stay",
        day=f.days_ago(12),
        quantity=2,
        amount_paid=50000,
        account=account,
        receipts=[receipt],
    )


@pytest.fixture
def voucher(new_mother):
    mother = new_mother(born=f.days_ago(30))
    return f.voucher_for(f.approved_application(mother=mother, grants={"stay": 3}))


@pytest.fixture
def client_of(client_for, voucher):
    return client_for(voucher.mother.user)


def fill_use(client, **changes):
    data = {**USE, "day": f.days_ago(12).isoformat(), "end_day": f.days_ago(10).isoformat()}
    return client.post("/my/reimburse/use/", {**data, **changes})


def fill_receipt(client, files=None, **changes):
    data = {"amount_paid": "５０，０００円", "receipt_number": "A-123", **changes}
    if files is not False:
        data["receipts"] = files or [photo()]
    return client.post("/my/reimburse/receipt/", data)


def fill_all(client):
    fill_use(client)
    fill_receipt(client)
    return client.post("/my/reimburse/account/", ACCOUNT)


def send(client):
    page = client.get("/my/reimburse/check/").content.decode()
    token = page.split('name="once" value="')[1].split('"')[0]
    return client.post("/my/reimburse/check/", {"once": token}), token


def test_the_start_page_explains_and_offers_the_claim(client_of):
    page = client_of.get("/my/reimburse/").content.decode()
    assert "請求をはじめる" in page and "領収書" in page


def test_a_mother_without_a_voucher_is_told_she_needs_one(client_for, new_mother):
    mother = new_mother()
    page = client_for(mother.user).get("/my/reimburse/").content.decode()
    assert "利用券をお持ちの方" in page and "請求をはじめる" not in page
    assert client_for(mother.user).get("/my/reimburse/use/")["Location"] == "/my/reimburse/"


def test_the_whole_claim_shows_the_amount_before_sending_and_approval_pays_it(client_of, voucher):
    assert fill_use(client_of)["Location"] == "/my/reimburse/receipt/"
    assert fill_receipt(client_of)["Location"] == "/my/reimburse/account/"
    assert client_of.post("/my/reimburse/account/", ACCOUNT)["Location"] == "/my/reimburse/check/"
    page = client_of.get("/my/reimburse/check/").content.decode()
    # 2 nights for 50,000 yen: 25,000 a night, of which 総社市 pays 17,000 (上記以外の方).
    assert "34,000円" in page
    assert "中国銀行（0168）" in page and "総社（191）" in page and "0012345" in page
    assert "ｿｳｼﾞﾔ ﾊﾅｺ" in page  # shown back as the bank will receive it
    response, _token = send(client_of)
    claim = Reimbursement.objects.get()
    assert response["Location"] == f"/my/reimburse/{claim.pk}/"
    assert (claim.quantity, claim.amount_paid, claim.day) == (2, 50000, f.days_ago(12))
    assert claim.bank_account.holder == "ｿｳｼﾞﾔ ﾊﾅｺ"
    assert claim.uploads.get().kind == Upload.Kind.RECEIPT
    done = client_of.get(response["Location"]).content.decode()
    assert claim.reference in done and "受付済み" in done
    approved = reimbursement_approve(reimbursement=claim, actor=f.approver())
    assert approved.amount == 34000
    listing = client_of.get("/my/reimburse/").content.decode()
    assert "支給決定" in listing and "34,000円を振り込みます" in listing


def test_a_double_tapped_send_saves_one_claim(client_of):
    fill_all(client_of)
    first, token = send(client_of)
    again = client_of.post("/my/reimburse/check/", {"once": token})
    assert Reimbursement.objects.count() == 1
    assert again["Location"] == first["Location"]  # to the claim sent the first time


def test_a_day_before_the_programme_offered_reimbursement_is_refused(client_of):
    response = fill_use(client_of, day="R7.3.30", end_day="2025-03-31")  # 令和7年4月から
    page = response.content.decode()
    assert response.status_code == 200
    assert "償還払いの対象ではありません" in page
    assert USE["facility_name"] in page  # nothing typed is lost


def test_a_stay_counts_its_nights_from_the_dates(client_of):
    page = fill_use(client_of, quantity="5").content.decode()
    assert "日付からは2泊です" in page
    page = fill_use(client_of, service="day").content.decode()
    assert "宿泊のときだけ" in page


def test_a_receipt_photo_is_required(client_of):
    fill_use(client_of)
    page = fill_receipt(client_of, files=False).content.decode()
    assert "1枚以上" in page and "A-123" in page


def test_a_file_that_is_not_a_photo_is_refused_next_to_the_field_and_nothing_is_lost(client_of):
    fill_use(client_of)
    text = SimpleUploadedFile("receipt.jpg", b"not a photo at all", content_type="image/jpeg")
    page = fill_receipt(client_of, files=[photo(), text]).content.decode()
    assert "2枚目: 写真（JPEG・PNG）かPDFのファイルを選んでください" in page
    assert 'id="id_receipts_error"' in page
    assert "A-123" in page and "1枚を受け取りました" in page  # the good one is kept
    assert Upload.objects.count() == 1


def test_a_file_too_large_is_refused(client_of, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_BYTES", 50)
    fill_use(client_of)
    page = fill_receipt(client_of).content.decode()
    assert "ファイルが大きすぎます" in page
    assert not Upload.objects.exists()


def test_a_receipt_photo_can_be_taken_back(client_of):
    fill_use(client_of)
    fill_receipt(client_of, amount_paid="")
    upload = Upload.objects.get()
    client_of.post("/my/reimburse/receipt/", {"remove": upload.pk})
    assert not Upload.objects.exists()


def test_a_wrong_account_is_refused_field_by_field_and_what_was_typed_stays(client_of):
    fill_use(client_of)
    fill_receipt(client_of)
    wrong = {**ACCOUNT, "bank_code": "0002", "holder": "山田 花子"}
    page = client_of.post("/my/reimburse/account/", wrong).content.decode()
    assert "金融機関コード 0002 の金融機関は見つかりません" in page
    assert "「山」、「田」、「花」、「子」は口座名義に使えません" in page
    assert 'value="山田 花子"' in page
    wrong = {**ACCOUNT, "branch_code": "999"}
    page = client_of.post("/my/reimburse/account/", wrong).content.decode()
    assert "中国銀行に支店コード 999 の支店は見つかりません" in page


def test_the_bank_is_found_by_name_without_javascript(client_of):
    fill_use(client_of)
    fill_receipt(client_of)
    page = client_of.post(
        "/my/reimburse/account/", {**ACCOUNT, "bank_name": "ちゅうごく", "search": "1"}
    ).content.decode()
    assert "0168" in page and "中国銀行" in page
    assert 'value="そうじゃ はなこ"' in page  # the account typed so far stays
    assert "入力内容を確認してください" not in page


def test_the_bank_and_branch_names_are_looked_up_by_code(client_of):
    answer = client_of.post("/my/reimburse/bank/", {"bank_code": "0001", "branch_code": "001"})
    assert answer.json() == {"bank": "みずほ銀行", "branch": "東京営業部"}
    assert client_of.post("/my/reimburse/bank/", {"bank_code": "0002"}).json()["bank"] == ""
    assert client_of.get("/my/reimburse/bank/").status_code == 405


def test_her_next_claim_starts_from_the_account_she_gave(client_of):
    fill_all(client_of)
    send(client_of)
    fill_use(client_of)
    fill_receipt(client_of)
    page = client_of.get("/my/reimburse/account/").content.decode()
    assert 'value="0012345"' in page


def test_another_mothers_receipt_cannot_be_claimed(client_of, client_for, new_mother, voucher):
    other = new_mother()
    theirs = uploads.upload_store(
        actor=other.user, mother=other, file=photo(), kind=Upload.Kind.RECEIPT
    )
    fill_all(client_of)
    session = client_of.session
    session["my_reimburse"]["receipts"].append(theirs.pk)
    session.save()
    send(client_of)
    theirs.refresh_from_db()
    assert theirs.reimbursement_id is None


URLS = [
    ("get", "/my/reimburse/"),
    ("get", "/my/reimburse/use/"),
    ("get", "/my/reimburse/receipt/"),
    ("get", "/my/reimburse/account/"),
    ("post", "/my/reimburse/bank/"),
    ("get", "/my/reimburse/check/"),
    ("get", "/my/reimburse/{pk}/"),
]


@pytest.fixture
def claim(voucher):
    return f.reimbursement(voucher=voucher, by=voucher.mother.user)


@pytest.mark.parametrize(("method", "url"), URLS)
def test_anonymous_visitors_are_sent_to_the_login(client, claim, method, url):
    response = getattr(client, method)(url.format(pk=claim.pk))
    assert response.status_code == 302 and response["Location"].startswith("/my/login/")


@pytest.mark.parametrize(("method", "url"), URLS)
@pytest.mark.parametrize("who", ["clerk", "facility"])
def test_staff_and_facility_accounts_are_refused(client_for, claim, method, url, who):
    user = f.clerk() if who == "clerk" else f.facility_staff("kaneko-josanin")
    response = getattr(client_for(user), method)(url.format(pk=claim.pk))
    assert response.status_code == 403


def test_another_mother_does_not_find_her_claim(client_for, new_mother, claim):
    other = new_mother()
    assert client_for(other.user).get(f"/my/reimburse/{claim.pk}/").status_code == 404
    page = client_for(other.user).get("/my/reimburse/").content.decode()
    assert claim.facility_name not in page


def test_the_list_reads_the_same_number_of_queries_for_many_claims(
    client_of, voucher, django_assert_max_num_queries
):
    f.reimbursement(voucher=voucher, by=voucher.mother.user)
    with django_assert_max_num_queries(12) as few:
        client_of.get("/my/reimburse/")
    for _ in range(5):
        f.reimbursement(voucher=voucher, by=voucher.mother.user)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client_of.get("/my/reimburse/")


def test_the_check_page_says_why_the_rules_would_not_pay(client_of):
    fill_use(client_of, day=f.days_ago(25).isoformat(), end_day=f.days_ago(20).isoformat())
    fill_receipt(client_of)
    client_of.post("/my/reimburse/account/", ACCOUNT)
    page = client_of.get("/my/reimburse/check/").content.decode()
    assert "支給の対象になりません" in page  # 5 nights, 3 granted
    assert "不支給となる見込み" in page


def test_where_the_programme_in_force_does_not_offer_it_she_is_told_so(client_for, new_mother):
    from datetime import date

    with f.frozen_now(f.at(date(2025, 2, 20), 10)):  # 総社市 offers it from 令和7年4月
        mother = new_mother(born=date(2025, 1, 20))
        f.approved_application(mother=mother, grants={"stay": 3})
        client = client_for(mother.user)
        page = client.get("/my/reimburse/").content.decode()
        assert "総社市の産後ケア事業では、県外の施設で利用した費用の請求" in page
        assert "請求をはじめる" not in page
        assert client.get("/my/reimburse/use/")["Location"] == "/my/reimburse/"
