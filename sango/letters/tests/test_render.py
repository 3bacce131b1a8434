"""Every kind of letter, read back: what a clerk checks before posting it (name, postal code,
number, date, grants, period, money, notices, 教示), that its fonts travel with it, that the
address sits in the envelope's window, and that the QR code printed on it leads a facility
back to the same voucher."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from sango.applications.changes import change_request_decide, change_request_submit
from sango.applications.models import Decision
from sango.applications.services import application_approve
from sango.core.errors import ServiceError
from sango.core.tests import factories as f
from sango.core.wareki import wareki
from sango.letters.render import decision_letter_pdf, letters_pdf, usage_card_pdf
from sango.letters.selectors import decision_for_letter, decisions_issued_on
from sango.letters.tests.reading import fonts, pages_text, qr_codes, save, text_at
from sango.mothers.models import Infant
from sango.municipalities.models import Office
from sango.vouchers.models import Voucher
from sango.vouchers.services import usage_card_issue, voucher_find

SOJA_OFFICE = "総社市役所こども課母子保健係"
SOJA_OFFICE_PHONE = "(0866)92-8261"
# 長3 window envelope: the window is 90 × 45 mm, 20 mm from the left and 23 mm from the top.
WINDOW_LEFT, WINDOW_TOP, WINDOW_WIDTH, WINDOW_HEIGHT = 20, 23, 90, 45


def soja_approved(*, twins: bool = False):
    mother = f.mother_with_baby(born=f.days_ago(20), twins=twins)
    return f.approved_application(mother=mother, grants={"stay": 3, "day": 2})


def letter_of(decision: Decision) -> Decision:
    return decision_for_letter(decision.pk)


def decided_on(decision: Decision) -> str:
    return wareki(timezone.localtime(decision.decided_at).date())


def received_on(moment) -> str:
    return wareki(timezone.localtime(moment).date())


def squeezed(text: str) -> str:
    return "".join(text.split())


def assert_voucher_qr(pdf: bytes, voucher: Voucher) -> None:
    codes = qr_codes(pdf, page=0)
    assert len(codes) == 1, codes
    assert voucher_find(qr=codes[0]) == voucher


def assert_fonts_embedded(pdf: bytes, page: int = 0) -> None:
    found = fonts(pdf, page)
    assert any("Noto-Serif-CJK-JP" in name for name in found), found
    assert any("Noto-Sans-CJK-JP" in name for name in found), found
    assert all(found.values()), found  # every font's program is in the file


def assert_in_window(pdf: bytes, *texts: str) -> None:
    """Each text starts inside the envelope's window, clear of its edges."""
    runs = text_at(pdf, 0)
    for text in texts:
        where = [(x, y) for run, x, y in runs if squeezed(text) in squeezed(run)]
        assert any(
            WINDOW_LEFT + 2 <= x <= WINDOW_LEFT + WINDOW_WIDTH - 20
            and WINDOW_TOP + 4 <= y <= WINDOW_TOP + WINDOW_HEIGHT - 2
            for x, y in where
        ), (text, where)


def test_approval_letter_is_the_voucher_with_its_usage_sheet() -> None:
    application = soja_approved()
    decision = letter_of(application.decisions.get())
    pdf = decision_letter_pdf(decision)
    save(pdf, "approval-soja")
    first, sheet = pages_text(pdf)
    mother, voucher = application.mother, application.voucher
    assert "〒719-1131" in first and squeezed(mother.address) in first
    assert f"{squeezed(mother.name)}様" in first
    assert "総こ第1号" in first and decided_on(decision) in first
    assert "総社市長" in first
    assert "総社市産後ケア事業利用承認通知書兼利用券" in first
    assert f"{received_on(application.submitted_at)}付けで申請のあった" in first
    assert "短期入所（ショートステイ）型3泊" in first and "通所（デイサービス）型2日" in first
    period = f"{wareki(application.valid_from)}〜{wareki(application.valid_until)}"
    assert period in first
    assert voucher.number in first
    assert "上記以外の方" in first  # her tier, as the programme names it
    assert "17,000円" in first and "7,000円" in first  # 市の負担額 for her tier (2025 version)
    assert "26,000円" not in first and "21,500円" not in first  # the other tiers' amounts
    assert "利用料金から市の負担額を差し引いた額を施設にお支払いください" in first
    assert "2人目以降の赤ちゃん1人につき" in first and "5,500円" in first  # 多胎児加算
    assert "聞き取り調査の結果、不承認となる場合があります。" in first  # process.notices
    assert "くにとみクリニック:利用を希望する場合は" in first  # contact_municipality_first
    assert SOJA_OFFICE in first and SOJA_OFFICE_PHONE in first
    assert "管理票" in sheet and voucher.number in sheet and period in sheet
    assert "利用日サービス数量施設名施設確認印" in sheet
    assert_in_window(pdf, "〒719-1131", mother.address, mother.name)
    assert_fonts_embedded(pdf)
    assert_voucher_qr(pdf, voucher)


def test_approval_names_only_the_granted_facility_when_it_asks_to_call_first() -> None:
    mother = f.mother_with_baby(born=f.days_ago(20))
    application = f.interviewed_application(mother=mother)
    decision = application_approve(
        application=application,
        actor=f.approver(),
        grants={"visit": 2},
        facility_id=f.facility("kaneko-josanin").pk,
        valid_from=mother.delivery_date,
    )
    text = pages_text(decision_letter_pdf(letter_of(decision)))[0]
    assert "利用施設かねこ助産院" in text and "居宅訪問（アウトリーチ）型2回" in text
    assert "3,500円" in text  # taxable, visit
    assert "くにとみクリニック:利用を希望する場合は" not in text


def test_rejection_letter_gives_the_reason_and_the_appeal_notice() -> None:
    application = f.rejected_application(mother=f.mother_with_baby(born=f.days_ago(20)))
    decision = letter_of(application.decisions.get())
    pdf = decision_letter_pdf(decision)
    save(pdf, "rejection-soja")
    (text,) = pages_text(pdf)
    assert "〒719-1131" in text and f"{squeezed(application.mother.name)}様" in text
    assert "総こ第1号" in text and decided_on(decision) in text
    assert "総社市産後ケア事業利用不承認通知書" in text
    assert "次の理由により承認しないことと決定したので通知します" in text
    assert "聞き取りの結果、医療機関での対応が適当" in text
    assert (
        "この決定があったことを知った日の翌日から起算して3か月以内に、総社市長に対して"
        "審査請求をすることができます" in text
    )
    assert "起算して6か月以内に、総社市を被告として" in text
    assert "訴訟において総社市を代表する者は総社市長となります" in text
    assert "その審査請求に対する裁決があったことを知った日の翌日から起算して6か月以内" in text
    assert "日の翌日から起算して1年を経過した場合は" in text
    assert "利用券番号" not in text  # no voucher is issued
    assert SOJA_OFFICE in text
    assert_in_window(pdf, "〒719-1131")
    assert_fonts_embedded(pdf)
    assert qr_codes(pdf) == []


def test_change_letter_carries_the_new_grants_and_a_fresh_voucher_block() -> None:
    application = soja_approved()
    new_end = application.valid_from + timedelta(days=90)
    change = change_request_submit(
        application=application,
        actor=f.clerk(),
        kind="change",
        grants={"stay": 5},
        valid_until=new_end,
        reason="体調が回復せず宿泊を延長",
    )
    decision = letter_of(change_request_decide(change=change, actor=f.approver(), approve=True))
    pdf = decision_letter_pdf(decision)
    save(pdf, "change-soja")
    (text,) = pages_text(pdf)
    assert "総こ第2号" in text and decided_on(decision) in text
    assert "総社市産後ケア事業利用変更承認通知書" in text
    assert f"{received_on(change.submitted_at)}付けで申請のあった" in text
    assert "短期入所（ショートステイ）型5泊変更" in text  # the changed grant, marked
    assert "通所（デイサービス）型2日" in text  # the unchanged one, still granted
    assert f"{wareki(application.valid_from)}〜{wareki(new_end)}" in text
    assert "体調が回復せず宿泊を延長" in text
    assert application.voucher.number in text and "17,000円" in text
    assert_voucher_qr(pdf, application.voucher)


def test_cancellation_letter_says_the_voucher_stops_on_the_decision_day() -> None:
    application = soja_approved()
    change = change_request_submit(
        application=application, actor=f.clerk(), kind="cancel", reason="転出のため"
    )
    decision = letter_of(change_request_decide(change=change, actor=f.approver(), approve=True))
    pdf = decision_letter_pdf(decision)
    save(pdf, "cancellation-soja")
    (text,) = pages_text(pdf)
    stops = decided_on(decision)
    assert "総こ第2号" in text and "総社市産後ケア事業利用中止決定通知書" in text
    assert f"{stops}から、利用承認通知書兼利用券は無効となり" in text
    assert f"利用券が無効となる日{stops}" in text
    assert application.voucher.number in text and "転出のため" in text
    assert qr_codes(pdf) == []  # a void voucher carries no code to scan


def test_kumamoto_letters_have_no_prefix_and_a_percentage_copay() -> None:
    # 熊本市 took applications until 2024-03-31; its document gives letters no number prefix.
    with f.frozen_now(f.at(date(2024, 3, 11), 10)):
        mother = f.MotherFactory(
            municipality=f.municipality(f.KUMAMOTO),
            postal_code="860-0806",
            address="熊本県熊本市中央区花畑町0-0 サンプルハイツ101",
        )
        Infant.objects.create(mother=mother, birth_date=date(2024, 2, 20))
        application = f.approved_application(
            mother=mother, grants={"stay": 2, "day": 3}, tier="taxable"
        )
    decision = letter_of(application.decisions.get())
    pdf = decision_letter_pdf(decision)
    save(pdf, "approval-kumamoto")
    first = pages_text(pdf)[0]
    assert "2023年度第1号" in first and "令和6年3月11日" in first
    assert "熊本市長" in first and "熊本市産後ケア事業利用承認通知書兼利用券" in first
    assert "宿泊型2泊" in first and "日帰り型3回" in first
    assert "利用料金の10%（1円未満切り捨て）" in first  # 上記以外の世帯 (sample figures)
    assert "日帰り型（1日型・3時間型・2時間型）1回あたり" in first  # one row, same percentage
    assert "令和6年4月1日からの利用には" not in first  # the 2024 version keeps the money
    assert "〒860-0806" in first
    assert "決定通知書及び管理票" in first  # bring_to_facility
    assert "中央区役所保健こども課" in first and "096-328-2419" in first
    assert_voucher_qr(pdf, application.voucher)


def test_letters_of_a_day_print_as_one_pdf_each_from_a_new_page() -> None:
    approved = soja_approved()
    rejected = f.rejected_application(mother=f.mother_with_baby(born=f.days_ago(20)))
    twins = soja_approved(twins=True)
    decisions = [approved.decisions.get(), rejected.decisions.get(), twins.decisions.get()]
    separately = [pages_text(decision_letter_pdf(letter_of(d))) for d in decisions]
    day = timezone.localtime(decisions[0].decided_at).date()
    batch = decisions_issued_on(municipality_id=decisions[0].municipality_id, day=day)
    pdf = letters_pdf(batch)
    save(pdf, "batch-soja")
    pages = pages_text(pdf)
    assert len(pages) == sum(len(letter) for letter in separately) == 5
    # approval + 管理票, rejection, approval + 管理票: each letter's first page has its title
    # and number; the page before it ends the previous letter.
    titles = (
        "利用承認通知書兼利用券",
        "管理票",
        "利用不承認通知書",
        "利用承認通知書兼利用券",
        "管理票",
    )
    numbers = ("総こ第1号", "総こ第1号", "総こ第2号", "総こ第3号", "総こ第3号")
    for page, title, number in zip(pages, titles, numbers, strict=True):
        assert title in page and number in page, page[:60]
    assert "総こ第2号" not in pages[1] and "総こ第3号" not in pages[2]


def test_usage_card_of_a_mother_not_yet_delivered() -> None:
    mother = f.MotherFactory(municipality=f.municipality(f.KUMAMOTO), postal_code="860-0806")
    ward = Office.objects.get(municipality=mother.municipality, code="higashi")
    card = usage_card_issue(mother=mother, actor=f.clerk(f.KUMAMOTO, office=ward), tier="taxable")
    assert card.valid_until is None and mother.delivery_date is None
    pdf = usage_card_pdf(card)
    save(pdf, "usage-card-kumamoto")
    (text,) = pages_text(pdf)
    assert "熊本市産後ケア事業利用カード" in text
    assert f"{squeezed(mother.name)}様" in text and card.number in text
    assert f"交付日:{received_on(card.issued_at)}" in text
    assert "交付窓口:東区役所保健こども課" in text
    assert "有効期間:産後1年未満の期間（出産の日から）" in text
    assert "事前の申請は不要です。" in text  # process.notices of the 2024 version
    assert "利用カード" in text and "保険証（母子の両方）" in text  # bring_to_facility
    assert_fonts_embedded(pdf)
    assert_voucher_qr(pdf, card)


def test_a_voucher_is_not_printed_as_a_usage_card() -> None:
    with pytest.raises(ServiceError):
        usage_card_pdf(soja_approved().voucher)


def test_usage_card_after_the_birth_shows_its_period() -> None:
    mother = f.mother_with_baby(code=f.KUMAMOTO, born=f.days_ago(10))
    card = usage_card_issue(mother=mother, actor=f.clerk(f.KUMAMOTO), tier="tax_exempt")
    text = pages_text(usage_card_pdf(card))[0]
    assert f"有効期間:{wareki(card.valid_from)}〜{wareki(card.valid_until)}" in text
    assert "交付窓口:中央区役所保健こども課" in text  # the programme's first office


def test_letters_are_japanese_whatever_the_language_of_the_request() -> None:
    decision = letter_of(soja_approved().decisions.get())
    with translation.override("en"):
        text = pages_text(decision_letter_pdf(decision))[0]
    assert "短期入所（ショートステイ）型3泊" in text and "17,000円" in text
    assert decided_on(decision) in text
