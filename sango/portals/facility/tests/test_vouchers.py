"""利用券の確認 and 利用の記録 in the facility portal: check by number and 和暦 birth date or by a
photo of the QR code, the same refusal for every failure, the limit on failed checks, a use
recorded through the preview once however often it is confirmed, the receipt, corrections and
voids; who may see what."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import segno
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sango.applications.models import TierBasis
from sango.applications.services import (
    application_approve,
    application_record_interview,
    application_verify_tier,
)
from sango.audit.models import AuditEvent
from sango.billing.services import claim_approve, claim_generate, claim_line_review, claim_submit
from sango.core.tests import factories as f
from sango.letters.tests.reading import pages_text
from sango.usage.models import Use
from sango.usage.services import use_record
from sango.vouchers.models import Voucher
from sango.vouchers.services import usage_card_issue, voucher_qr_payload

CHECK = reverse("facility:check")
VOUCHER = reverse("facility:voucher")
NEW = reverse("facility:use_new")
NOT_CONFIRMED = "利用券を確認できません。番号と生年月日をお確かめください。"
NOTE = "授乳姿勢の確認をお願いします。"
ASSESSMENT = "夫の育児参加が少なく、睡眠不足が続いている"


def soja_voucher(*, grants: dict[str, int] | None = None, twins: bool = False) -> Voucher:
    """A 総社市 voucher whose interview left a note for the facility and an assessment."""
    mother = f.mother_with_baby(born=f.days_ago(30), twins=twins)
    staff = f.clerk()
    application = f.submitted_application(mother=mother, staff=staff)
    application_verify_tier(
        application=application, actor=staff, tier="taxable", basis=TierBasis.LEDGER
    )
    application_record_interview(
        application=application,
        actor=staff,
        conducted_at=timezone.now(),
        method="phone",
        needs_found=["support_needed"],
        assessment=ASSESSMENT,
        facility_note=NOTE,
    )
    application_approve(
        application=application,
        actor=f.approver(),
        grants=grants or {"stay": 3, "day": 2},
        valid_from=mother.delivery_date,
    )
    return f.voucher_for(application)


def kumamoto_card(*, born: int = 20) -> Voucher:
    mother = f.mother_with_baby(code=f.KUMAMOTO, born=f.days_ago(born))
    return usage_card_issue(mother=mother, actor=f.clerk(f.KUMAMOTO), tier="taxable")


def by_number(client, voucher: Voucher, born: str = "1994-05-20", number: str = ""):
    return client.post(
        CHECK, {"how": "number", "number": number or voucher.number, "mother_birth_date": born}
    )


def qr_png(text: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=8)
    return buffer.getvalue()


def by_photo(client, content: bytes, name: str = "qr.png", kind: str = "image/png"):
    upload = SimpleUploadedFile(name, content, content_type=kind)
    return client.post(CHECK, {"how": "qr", "photo": upload})


def checked(client, voucher: Voucher) -> None:
    response = by_number(client, voucher)
    assert response.status_code == 302 and response["Location"] == VOUCHER


def form_values(response) -> dict[str, str]:
    values = {}
    for field in response.context["form"]:
        value = field.value()
        values[field.html_name] = "" if value is None else str(value)
    return values


def use_values(client, **typed) -> dict[str, str]:
    return {**form_values(client.get(NEW)), **typed}


def record(client, **typed) -> Use:
    values = use_values(client, **typed)
    preview = client.post(NEW, values)
    assert preview.status_code == 200 and "記録する" in preview.content.decode()
    done = client.post(NEW, {**values, "confirm": "1"})
    assert done.status_code == 302, done.content.decode()[:2000]
    return Use.objects.get(pk=done["Location"].rstrip("/").split("/")[-1])


# --- 利用券の確認 --------------------------------------------------------------------------------


def test_a_check_by_number_and_wareki_birth_date_shows_what_the_facility_needs(client_for, kaneko):
    voucher = soja_voucher()
    client = client_for(kaneko)
    digits = "".join(ch for ch in voucher.number if ch.isdigit())
    full_width = digits.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    response = by_number(client, voucher, born="平成６年５月２０日", number=full_width)
    assert response.status_code == 302 and response["Location"] == VOUCHER
    assert voucher.number not in response["Location"]
    page = client.get(VOUCHER).content.decode()
    assert voucher.mother.name in page and "総社市" in page
    assert "有効" in page and "令和" in page
    assert NOTE in page and ASSESSMENT not in page
    remaining = page.split('id="h-remaining"')[1].split("</section>")[0]
    assert "短期入所（ショートステイ）型" in remaining and "<strong>3泊</strong>" in remaining
    assert "こども課" in page.split('id="h-notices"')[1]  # the programme's notices
    assert "この方の利用を記録する" in page and f'href="{NEW}"' in page
    assert voucher.mother.address not in page and voucher.mother.phone not in page


@pytest.mark.parametrize("case", ["wrong birth date", "unknown number", "uncontracted"])
def test_every_failed_check_gives_the_same_refusal(client_for, kaneko, case):
    voucher = kumamoto_card() if case == "uncontracted" else soja_voucher()
    client = client_for(f.facility_staff("kunitomi-clinic") if case == "uncontracted" else kaneko)
    number = voucher.number
    if case == "unknown number":
        from sango.vouchers.services import _luhn_digit

        digits = "".join(ch for ch in number if ch.isdigit())
        body = digits[:-2] + str((int(digits[-2]) + 1) % 10)
        number = body + _luhn_digit(body)
    born = "R1.5.20" if case == "wrong birth date" else "H6.5.20"
    response = by_number(client, voucher, born=born, number=number)
    assert response.status_code == 200
    page = response.content.decode()
    assert NOT_CONFIRMED in page and "入力内容を確認してください" in page
    assert f'value="{number}"' in page  # kept as typed
    assert voucher.mother.name not in page
    assert client.get(VOUCHER).status_code == 302


def test_a_mistyped_number_is_caught_by_its_check_digit_at_the_field(client_for, kaneko):
    voucher = soja_voucher()
    typo = voucher.number[:-1] + str((int(voucher.number[-1]) + 1) % 10)
    response = by_number(client_for(kaneko), voucher, number=typo)
    errors = response.context["by_number"].errors
    assert errors["number"] == ["番号の桁数か確認用の数字が違います。もう一度お確かめください。"]
    assert "mother_birth_date" not in errors


def test_a_birth_date_that_is_no_date_is_refused_at_its_field(client_for, kaneko):
    voucher = soja_voucher()
    response = by_number(client_for(kaneko), voucher, born="令和8年13月1日")
    assert "日付として読めません" in response.context["by_number"].errors["mother_birth_date"][0]
    assert 'value="令和8年13月1日"' in response.content.decode()


def test_the_sixth_check_after_five_failures_is_blocked_and_the_city_is_told(client_for, kaneko):
    voucher = soja_voucher()
    client = client_for(kaneko)
    for _ in range(5):
        assert NOT_CONFIRMED in by_number(client, voucher, born="H6.5.21").content.decode()
    page = by_number(client, voucher, born="H6.5.20").content.decode()
    assert (
        "確認の失敗が続いたため、しばらく確認できません。15分後にもう一度お試しください。" in page
    )
    assert client.get(VOUCHER).status_code == 302
    assert "確認の失敗が続いたため" in client.get(CHECK).content.decode()  # shown on arrival too
    event = AuditEvent.objects.get(action="voucher.check_blocked")
    assert event.municipality.name == "総社市"
    assert "1994" not in str(event.after) and voucher.number not in str(event.after)


def test_a_photo_of_the_qr_code_finds_the_voucher(client_for, kaneko):
    voucher = soja_voucher()
    client = client_for(kaneko)
    response = by_photo(client, qr_png(voucher_qr_payload(voucher)))
    assert response.status_code == 302 and response["Location"] == VOUCHER
    assert voucher.mother.name in client.get(VOUCHER).content.decode()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.4 not an image", "scan.pdf", "画像として読めません"),
        (None, "blank.png", "写真からQRコードを読み取れませんでした"),
        (b"\x89PNG" + b"0" * (8 * 1024 * 1024), "huge.png", "写真が大きすぎます（8MBまで）"),
    ],
)
def test_a_photo_without_a_readable_qr_code_says_so(client_for, kaneko, content, name, message):
    if content is None:
        from PIL import Image

        buffer = io.BytesIO()
        Image.new("RGB", (400, 300), "white").save(buffer, format="PNG")
        content = buffer.getvalue()
    response = by_photo(client_for(kaneko), content, name=name)
    assert response.status_code == 200
    assert message in response.context["by_photo"].errors["photo"][0]


def test_a_qr_code_that_is_not_a_vouchers_is_refused(client_for, kaneko):
    response = by_photo(client_for(kaneko), qr_png("https://example.jp/"))
    assert (
        "このQRコードでは利用券を確認できません" in response.context["by_photo"].errors["photo"][0]
    )


# --- 利用の記録 ----------------------------------------------------------------------------------


def test_recording_needs_a_checked_voucher(client_for, kaneko):
    client = client_for(kaneko)
    for url in (NEW, VOUCHER):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == CHECK


def test_a_use_is_recorded_through_the_preview_once_however_often_confirmed(client_for, kaneko):
    voucher = soja_voucher()
    client = client_for(kaneko)
    checked(client, voucher)
    values = use_values(
        client,
        service="stay",
        start_day=f.days_ago(3).isoformat(),
        quantity="２",
        fee="３０，０００円",
        extras="2,500",
    )
    preview = client.post(NEW, values)
    page = preview.content.decode()
    assert "お母さんから受け取る額" in page and "28,500円" in page  # 26,000 + 2,500
    assert "総社市の負担額" in page and "34,000円" in page
    after = page.split('id="h-after"')[1]
    assert "短期入所（ショートステイ）型: <strong>1泊</strong>" in after
    assert not Use.objects.exists()
    final = {**values, "confirm": "1"}
    done = client.post(NEW, final)
    again = client.post(NEW, final)  # the confirm button pressed twice
    assert done.status_code == again.status_code == 302
    assert done["Location"] == again["Location"]
    use = Use.objects.get()
    assert (use.quantity, use.fee, use.extras, use.copay, use.idempotency_key) == (
        2,
        30000,
        2500,
        26000,
        values["once"],
    )
    page = client.get(done["Location"]).content.decode()
    assert reverse("facility:receipt", args=[use.pk]) in page and "領収書" in page


def test_going_back_from_the_preview_keeps_what_was_typed(client_for, kaneko):
    client = client_for(kaneko)
    checked(client, soja_voucher())
    values = use_values(
        client, service="day", start_day="R8.11.30", quantity="1", fee="8000", back="1"
    )
    page = client.post(NEW, values).content.decode()
    assert 'value="R8.11.30"' in page and 'value="8000"' in page and "確認する" in page
    assert not Use.objects.exists()


def test_no_more_infants_than_she_registered(client_for, kaneko):
    client = client_for(kaneko)
    checked(client, soja_voucher())
    values = use_values(client, service="stay", quantity="1", fee="30000", infants="2")
    response = client.post(NEW, {**values, "confirm": "1"})
    assert response.context["form"].errors["infants"] == [
        "登録されている乳児は1人です。それより多くは選べません。"
    ]
    assert (
        'value="2"'
        not in response.content.decode().split('name="infants"')[1].split("</select>")[0]
    )
    assert not Use.objects.exists()


def test_twins_may_both_come(client_for, kaneko):
    client = client_for(kaneko)
    checked(client, soja_voucher(twins=True))
    use = record(client, service="stay", quantity="1", fee="30000", infants="2")
    assert use.infants == 2


def test_a_use_the_rules_refuse_shows_every_reason_and_records_nothing(client_for):
    kita = f.facility_staff("sample-kumamoto-kita-hospital")  # stays up to 4 months only
    card = kumamoto_card(born=150)
    client = client_for(kita)
    checked(client, card)
    values = use_values(client, service="stay", start_day=f.days_ago(1).isoformat(), quantity="8")
    page = client.post(NEW, values).content.decode()
    refusal = page.split('class="refusal"')[1].split("</div>")[0]
    assert "この利用は助成の対象になりません。" in refusal
    assert refusal.count("<li>") >= 2 and "4か月以内" in refusal and "7泊" in refusal
    assert 'name="confirm"' not in page
    response = client.post(NEW, {**values, "confirm": "1"})  # sent anyway: the service says no
    assert "この利用は助成の対象になりません。" in response.content.decode()
    assert not Use.objects.exists()


def test_kumamotos_day_sub_type_is_chosen_from_the_times(client_for, kaneko):
    client = client_for(kaneko)  # かねこ助産院 serves 熊本市 too
    checked(client, kumamoto_card())
    day = f.days_ago(1).isoformat()
    values = use_values(
        client, service="day", start_day=day, start_time="１０：００", end_time="13時"
    )
    page = client.post(NEW, values).content.decode()
    assert "日帰り型 3時間型" in page and "10,000円" in page
    assert "1,000円" in page.split('class="due"')[1].split("</div>")[0]  # 10 % of 10,000円
    use = Use.objects.get(
        pk=client.post(NEW, {**values, "confirm": "1"})["Location"].split("/")[-2]
    )
    assert (use.service, use.fee, use.copay) == ("day_3h", 10000, 1000)


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"start_time": "13:00", "end_time": "10:00"}, "end_time", "終了は開始より後の日時"),
        ({"start_time": "10:00"}, "end_time", "開始時刻と終了時刻は両方"),
        ({"start_time": "25:00", "end_time": "26:00"}, "start_time", "時刻として読めません"),
        ({"fee": "0"}, "fee", "1から200,000まで"),
        ({"fee": "9,999,999"}, "fee", "1から200,000まで"),
        ({"fee": ""}, "fee", "料金を入力してください"),
        ({"quantity": "2", "start_time": "10:00", "end_time": "13:00"}, "quantity", "数量は空欄"),
    ],
)
def test_bad_input_is_shown_at_its_field_and_kept(client_for, kaneko, typed, field, message):
    client = client_for(kaneko)
    checked(client, soja_voucher())
    values = use_values(client, **{"service": "day", "quantity": "", "fee": "8000", **typed})
    response = client.post(NEW, {**values, "confirm": "1"})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    for value in typed.values():
        if value:
            assert f'value="{value}"' in response.content.decode()
    assert not Use.objects.exists()


def test_a_use_in_the_future_is_refused_at_the_day(client_for, kaneko):
    client = client_for(kaneko)
    checked(client, soja_voucher())
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    values = use_values(client, service="day", start_day=tomorrow, fee="8000")
    response = client.post(NEW, values)
    assert "より後の日付は入力できません" in response.context["form"].errors["start_day"][0]


# --- the uses, one use, corrections, voids, the receipt -------------------------------------------


def recorded(kaneko, voucher: Voucher | None = None, *, key: str = "k", day=None) -> Use:
    voucher = voucher or soja_voucher()
    return use_record(
        voucher_id=voucher.pk,
        facility=kaneko.facility,
        actor=kaneko,
        idempotency_key=key,
        service="stay",
        day=day or f.days_ago(2),
        quantity=1,
        fee=30000,
        extras=1500,
    )


def test_the_uses_of_the_month(client_for, kaneko):
    this_month = recorded(kaneko, key="a", day=timezone.localdate())
    last_month_day = timezone.localdate().replace(day=1) - timedelta(days=1)
    earlier = recorded(kaneko, key="b", day=last_month_day)
    client = client_for(kaneko)
    page = client.get(reverse("facility:uses")).content.decode()
    assert this_month.voucher.number in page and earlier.voucher.number not in page
    assert "短期入所（ショートステイ）型" in page and "17,000円" in page and "13,000円" in page
    assert reverse("facility:receipt", args=[this_month.pk]) in page
    month = last_month_day.strftime("%Y-%m")
    page = client.get(reverse("facility:uses"), {"month": month}).content.decode()
    assert earlier.voucher.number in page and this_month.voucher.number not in page


def test_a_void_needs_a_reason_and_voids_once(client_for, kaneko):
    use = recorded(kaneko)
    client = client_for(kaneko)
    url = reverse("facility:use", args=[use.pk])
    token = client.get(url).context["void_form"]["once"].value()
    response = client.post(url, {"void-once": token, "void-reason": "  "})
    assert response.context["void_form"].errors["reason"] == ["この項目は必須です。"]
    values = {"void-once": token, "void-reason": "二重に記録したため"}
    assert client.post(url, values).status_code == 302
    assert client.post(url, values).status_code == 302
    use.refresh_from_db()
    assert use.status == Use.Status.VOID and use.void_reason == "二重に記録したため"
    page = client.get(url).content.decode()
    assert "二重に記録したため" in page and "取り消す</button>" not in page
    assert client.get(reverse("facility:receipt", args=[use.pk])).status_code == 302


def test_a_correction_voids_the_old_use_and_records_the_new(client_for, kaneko):
    use = recorded(kaneko)
    client = client_for(kaneko)
    url = reverse("facility:use_correct", args=[use.pk])
    values = form_values(client.get(url))
    assert (values["service"], values["quantity"], values["fee"]) == ("stay", "1", "30000")
    response = client.post(url, {**values, "quantity": "2"})
    assert response.context["form"].errors["reason"] == ["この項目は必須です。"]
    values.update(quantity="2", reason="泊数の入力誤り")
    done = client.post(url, values)
    assert done.status_code == 302
    assert client.post(url, values)["Location"] == done["Location"]
    use.refresh_from_db()
    new = use.corrected_by
    assert use.status == Use.Status.VOID and use.void_reason == "泊数の入力誤り"
    assert (new.quantity, new.status) == (2, Use.Status.RECORDED)
    assert done["Location"] == reverse("facility:use", args=[new.pk])
    assert Use.objects.count() == 2


def test_a_use_on_an_approved_claim_cannot_be_voided(client_for, kaneko):
    use = recorded(kaneko)
    claim = claim_generate(
        facility=kaneko.facility,
        municipality=use.municipality,
        month=use.day.replace(day=1),
        actor=kaneko,
    )
    claim_submit(claim=claim, actor=kaneko)
    claim_line_review(line=claim.lines.get(), actor=f.clerk(), accept=True)
    claim_approve(claim=claim, actor=f.approver())
    client = client_for(kaneko)
    url = reverse("facility:use", args=[use.pk])
    token = client.get(url).context["void_form"]["once"].value()
    response = client.post(url, {"void-once": token, "void-reason": "誤り"})
    assert "承認済みの委託料請求に含まれる利用は変更できません。" in response.content.decode()
    use.refresh_from_db()
    assert use.status == Use.Status.RECORDED


def test_the_receipt_is_a_pdf_for_the_mother(client_for, kaneko):
    use = recorded(kaneko)
    response = client_for(kaneko).get(reverse("facility:receipt", args=[use.pk]))
    assert response["Content-Type"] == "application/pdf"
    (page,) = pages_text(response.content)
    assert "領収書" in page and f"領収書番号{use.pk}" in page and "かねこ助産院" in page
    assert "自己負担額13,000円" in page and "領収金額14,500円" in page


# --- who may ------------------------------------------------------------------------------------


def _urls(use: Use) -> list[str]:
    return [
        CHECK,
        VOUCHER,
        reverse("facility:uses"),
        NEW,
        reverse("facility:use", args=[use.pk]),
        reverse("facility:use_correct", args=[use.pk]),
        reverse("facility:receipt", args=[use.pk]),
    ]


def test_anonymous_visitors_are_sent_to_the_login(client_for, kaneko):
    for url in _urls(recorded(kaneko)):
        response = client_for(None).get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("facility:login")), url


@pytest.mark.parametrize("who", ["mother", "clerk"])
def test_mothers_and_municipal_staff_are_refused(client_for, kaneko, who):
    user = f.mother_user() if who == "mother" else f.clerk()
    for url in _urls(recorded(kaneko)):
        assert client_for(user).get(url).status_code == 403, url


def test_another_facilitys_use_is_not_found(client_for, kaneko, kunitomi):
    use = recorded(kaneko)
    client = client_for(kunitomi)
    for url in _urls(use)[4:]:
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("facility:use", args=[use.pk]), {"void-once": "t", "void-reason": "x"}
    )
    assert response.status_code == 404
    assert use.voucher.number not in client.get(reverse("facility:uses")).content.decode()


def test_the_uses_page_costs_the_same_with_1_and_50_uses(client_for, kaneko):
    client = client_for(kaneko)
    url = reverse("facility:uses")
    voucher = soja_voucher(grants={"stay": 7})

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    recorded(kaneko, voucher, key="0", day=timezone.localdate())
    one = count()
    for n in range(1, 50):
        recorded(kaneko, soja_voucher(), key=str(n), day=timezone.localdate())
    assert count() == one
