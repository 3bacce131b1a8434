"""委託料請求 and 契約内容 in the facility portal: generate a month's claim, see its lines,
submit it after the confirmation (once), regenerate a returned one, the 請求書 PDF and the CSV,
the contract terms from the programme documents — and nobody else's claim."""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from sango.audit.models import AuditEvent
from sango.billing.models import ClaimLine, FacilityClaim, RejectionReason
from sango.billing.services import claim_generate, claim_line_review, claim_return, claim_submit
from sango.core.tests import factories as f
from sango.portals.facility.forms.claims import month_start
from sango.usage.services import use_correct, use_record

SOJA_STAY_TAXABLE = 17000  # 総社市 上記以外の方 短期入所 1泊 (R7.4 leaflet)


def last_month() -> date:
    return month_start(timezone.localdate(), 1)


def record_stays(staff, count: int, *, month: date | None = None) -> list:
    """``count`` one-night stays at the staff's facility in ``month`` (default last month),
    five per mother (総社市: 7 nights each), on the month's first days."""
    month = month or last_month()
    uses = []
    while len(uses) < count:
        mother = f.mother_with_baby(born=month - timedelta(days=20))
        voucher = f.voucher_for(f.approved_application(mother=mother, grants={"stay": 7}))
        for n in range(min(5, count - len(uses))):
            uses.append(
                use_record(
                    voucher_id=voucher.pk,
                    facility=staff.facility,
                    actor=staff,
                    idempotency_key=f"{voucher.pk}-{n}",
                    service="stay",
                    day=month + timedelta(days=n),
                    quantity=1,
                    fee=30000,
                )
            )
    return uses


def draft_claim(staff, lines: int) -> FacilityClaim:
    record_stays(staff, lines)
    return claim_generate(
        facility=staff.facility, municipality=f.municipality(), month=last_month(), actor=staff
    )


def once_of(response, form: str = "form") -> str:
    return response.context[form]["once"].value()


def events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


# --- who may enter -------------------------------------------------------------------------------


def _urls(claim: FacilityClaim) -> list[str]:
    return [
        reverse("facility:claims"),
        reverse("facility:contracts"),
        reverse("facility:claim", args=[claim.pk]),
        reverse("facility:claim_submit", args=[claim.pk]),
        reverse("facility:claim_pdf", args=[claim.pk]),
        reverse("facility:claim_csv", args=[claim.pk]) + "?encoding=utf8",
    ]


def test_anonymous_visitors_go_to_the_login_and_others_are_refused(client_for, kaneko):
    claim = f.facility_claim(slug="kaneko-josanin")
    for url in _urls(claim):
        response = client_for(None).get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("facility:login")), url
        assert client_for(f.mother_user()).get(url).status_code == 403, url
        assert client_for(f.clerk()).get(url).status_code == 403, url


def test_nobody_but_facility_staff_may_generate_or_regenerate(client_for):
    claim = f.facility_claim(slug="kaneko-josanin")
    posts = [
        reverse("facility:claim_generate"),
        reverse("facility:claim_regenerate", args=[claim.pk]),
        reverse("facility:claim_submit", args=[claim.pk]),
    ]
    for url in posts:
        assert client_for(None).post(url, {"once": "x"}).status_code == 302, url
        assert client_for(f.mother_user()).post(url, {"once": "x"}).status_code == 403, url
        assert client_for(f.clerk()).post(url, {"once": "x"}).status_code == 403, url
    assert not AuditEvent.objects.filter(action__startswith="claim.").exists()


def test_another_facilitys_claim_is_not_found(client_for, kaneko, kunitomi):
    claim = draft_claim(kaneko, 1)
    client = client_for(kunitomi)
    for url in _urls(claim)[2:]:
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("facility:claim_csv", args=[claim.pk])).status_code == 404
    for name in ("claim_submit", "claim_regenerate"):
        response = client.post(reverse(f"facility:{name}", args=[claim.pk]), {"once": "x"})
        assert response.status_code == 404
    assert "かねこ" not in client.get(reverse("facility:claims")).content.decode()
    claim.refresh_from_db()
    assert claim.status == FacilityClaim.Status.DRAFT


# --- generating a month's claim --------------------------------------------------------------


def test_the_generate_form_offers_the_contracted_cities_and_last_month(client_for, kaneko):
    response = client_for(kaneko).get(reverse("facility:claims"))
    form = response.context["generate"]
    cities = [label for value, label in form.fields["municipality"].choices if value]
    assert cities == ["総社市", "熊本市"]  # かねこ助産院 serves both
    assert form["month"].value() == last_month().isoformat()
    assert "まだ請求はありません。" in response.content.decode()


def test_generating_a_month_with_uses_makes_its_lines_and_total(client_for, kaneko):
    record_stays(kaneko, 3)
    client = client_for(kaneko)
    form = client.get(reverse("facility:claims"))
    values = {
        "once": once_of(form, "generate"),
        "municipality": str(f.municipality().pk),
        "month": last_month().isoformat(),
    }
    for _ in range(2):  # a double click generates once
        response = client.post(reverse("facility:claim_generate"), values)
        assert response.status_code == 302
    claim = FacilityClaim.objects.get()
    assert response["Location"] == reverse("facility:claim", args=[claim.pk])
    assert claim.lines.count() == 3 and claim.total == 3 * SOJA_STAY_TAXABLE
    assert events("claim.generate") == 1
    page = client.get(response["Location"]).content.decode()
    assert "宛ての" in page and "51,000円" in page and "短期入所（ショートステイ）型" in page
    assert "提出へ進む" in page
    history = client.get(reverse("facility:claims")).content.decode()
    assert "作成中" in history and "51,000円" in history


def test_a_city_without_a_contract_is_refused_and_nothing_is_made(client_for, kunitomi):
    client = client_for(kunitomi)  # くにとみクリニック contracts with 総社市 only
    once = once_of(client.get(reverse("facility:claims")), "generate")
    month = last_month().isoformat()
    response = client.post(
        reverse("facility:claim_generate"),
        {"once": once, "municipality": str(f.municipality(f.KUMAMOTO).pk), "month": month},
    )
    assert response.status_code == 200
    form = response.context["generate"]
    assert form.errors["municipality"] == ["契約している市町村から選んでください。"]
    assert form["month"].value() == month  # what was chosen is kept
    assert "入力内容を確認してください" in response.content.decode()
    assert not FacilityClaim.objects.exists()


def test_a_contract_no_longer_listed_is_not_offered(client_for, kaneko):
    """A city that dropped the facility from its list between the page and the click."""
    client = client_for(kaneko)
    once = once_of(client.get(reverse("facility:claims")), "generate")
    kumamoto = f.municipality(f.KUMAMOTO)
    kaneko.facility.contracts.filter(municipality=kumamoto).update(listed=False)
    response = client.post(
        reverse("facility:claim_generate"),
        {"once": once, "municipality": str(kumamoto.pk), "month": last_month().isoformat()},
    )
    assert response.context["generate"].errors["municipality"]
    assert not FacilityClaim.objects.exists()


def test_choosing_nothing_says_so_at_each_field(client_for, kaneko):
    client = client_for(kaneko)
    once = once_of(client.get(reverse("facility:claims")), "generate")
    response = client.post(
        reverse("facility:claim_generate"),
        {"once": once, "municipality": "", "month": "2001-01-01"},
    )
    errors = response.context["generate"].errors
    assert errors["municipality"] == ["請求先の市町村を選んでください。"]
    assert errors["month"] == ["一覧の月から選んでください。"]


def test_a_submitted_claim_cannot_be_generated_again(client_for, kaneko):
    claim_submit(claim=draft_claim(kaneko, 1), actor=kaneko)
    client = client_for(kaneko)
    once = once_of(client.get(reverse("facility:claims")), "generate")
    response = client.post(
        reverse("facility:claim_generate"),
        {"once": once, "municipality": str(f.municipality().pk), "month": last_month().isoformat()},
    )
    assert response.status_code == 200
    assert "「提出済み」の請求は作り直せません。" in response.content.decode()


# --- submitting ------------------------------------------------------------------------------


def test_submitting_goes_through_the_confirmation_and_saves_once(client_for, kaneko):
    claim = draft_claim(kaneko, 2)
    client = client_for(kaneko)
    url = reverse("facility:claim_submit", args=[claim.pk])
    confirm = client.get(url)
    text = confirm.content.decode()
    assert "この内容で総社市に請求します" in text and "34,000円" in text
    claim.refresh_from_db()
    assert claim.status == FacilityClaim.Status.DRAFT  # nothing sent by looking
    once = once_of(confirm)
    for _ in range(2):
        response = client.post(url, {"once": once})
        assert response["Location"] == reverse("facility:claim", args=[claim.pk])
    claim.refresh_from_db()
    assert claim.status == FacilityClaim.Status.SUBMITTED and claim.submitted_by == kaneko
    assert events("claim.submit") == 1
    page = client.get(response["Location"]).content.decode()
    assert "提出済み" in page and "市の審査を待っています" in page and "提出へ進む" not in page


def test_a_claim_already_submitted_says_so_on_another_submit(client_for, kaneko):
    claim = draft_claim(kaneko, 1)
    client = client_for(kaneko)
    url = reverse("facility:claim_submit", args=[claim.pk])
    first, second = once_of(client.get(url)), once_of(client.get(url))
    client.post(url, {"once": first})
    response = client.post(url, {"once": second})
    assert response.status_code == 200
    assert "「提出済み」の請求は提出できません。" in response.content.decode()
    assert events("claim.submit") == 1


def test_an_empty_claim_offers_no_submit(client_for, kaneko):
    claim = claim_generate(
        facility=kaneko.facility, municipality=f.municipality(), month=last_month(), actor=kaneko
    )
    page = client_for(kaneko).get(reverse("facility:claim", args=[claim.pk])).content.decode()
    assert "請求できる利用はまだありません" in page and "提出へ進む" not in page
    client = client_for(kaneko)
    url = reverse("facility:claim_submit", args=[claim.pk])
    response = client.post(url, {"once": once_of(client.get(url))})
    assert "請求する利用がありません。" in response.content.decode()


# --- a returned claim ------------------------------------------------------------------------


def returned_claim(staff) -> FacilityClaim:
    """Submitted with two lines; the first accepted, the second returned (4, with a note)."""
    claim = claim_submit(claim=draft_claim(staff, 2), actor=staff)
    first, second = claim.lines.order_by("use__day", "pk")
    clerk = f.clerk()
    claim_line_review(line=first, actor=clerk, accept=True)
    claim_line_review(
        line=second,
        actor=clerk,
        accept=False,
        reason=RejectionReason.WRONG_FEE,
        note="契約料金は28,000円",
    )
    return claim_return(claim=claim, actor=f.approver())


def test_a_returned_claim_shows_the_reason_in_words_and_is_regenerated(client_for, kaneko):
    claim = returned_claim(kaneko)
    second = claim.lines.order_by("use__day", "pk").last()
    client = client_for(kaneko)
    url = reverse("facility:claim", args=[claim.pk])
    page = client.get(url)
    text = page.content.decode()
    assert "差戻し" in text and "返戻された明細" in text
    assert "4 料金が契約と異なります" in text and "契約料金は28,000円" in text
    assert "請求を作り直す" in text and "提出へ進む" not in text
    # the use's page, where a line is corrected or voided (the link shows once it exists)
    with contextlib.suppress(NoReverseMatch):
        assert reverse("facility:use", args=[second.use_id]) in text
    history = client.get(reverse("facility:claims")).content.decode()
    assert "差戻し" in history

    corrected = use_correct(use=second.use, actor=kaneko, reason="料金の誤り", fee=28000)
    regenerate = reverse("facility:claim_regenerate", args=[claim.pk])
    once = once_of(page, "action")
    for _ in range(2):
        assert client.post(regenerate, {"once": once})["Location"] == url
    claim.refresh_from_db()
    assert claim.status == FacilityClaim.Status.DRAFT and events("claim.generate") == 2
    # the voided use left the claim, its correction joined it
    assert sorted(claim.lines.values_list("use__fee", flat=True)) == [28000, 30000]
    assert claim.lines.filter(use=corrected).exists() and claim.total == 2 * SOJA_STAY_TAXABLE
    assert set(claim.lines.values_list("status", flat=True)) == {ClaimLine.Status.PENDING}
    assert "4 料金が契約と異なります" not in client.get(url).content.decode()

    submit = reverse("facility:claim_submit", args=[claim.pk])
    client.post(submit, {"once": once_of(client.get(submit))})
    claim.refresh_from_db()
    assert claim.status == FacilityClaim.Status.SUBMITTED and events("claim.submit") == 2


def test_a_submitted_claim_cannot_be_regenerated(client_for, kaneko):
    claim = claim_submit(claim=draft_claim(kaneko, 1), actor=kaneko)
    client = client_for(kaneko)
    url = reverse("facility:claim_regenerate", args=[claim.pk])
    response = client.post(url, {"once": "a-token-never-used"}, follow=True)
    assert "「提出済み」の請求は作り直せません。" in response.content.decode()
    assert events("claim.generate") == 1


# --- 請求書 PDF and CSV ----------------------------------------------------------------------


def test_the_statement_pdf_comes_inline_and_never_cached(client_for, kaneko):
    claim = draft_claim(kaneko, 1)
    response = client_for(kaneko).get(reverse("facility:claim_pdf", args=[claim.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Cache-Control"] == "no-store"


def _csv_rows(body: bytes, encoding: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode(encoding))))


def test_the_csv_opens_with_japanese_headers_in_both_encodings(client_for, kaneko):
    claim = draft_claim(kaneko, 2)
    client = client_for(kaneko)
    url = reverse("facility:claim_csv", args=[claim.pk])
    utf8 = client.get(url, {"encoding": "utf8"})
    assert utf8["Content-Type"] == "text/csv; charset=utf-8"
    assert utf8.content.startswith(codecs.BOM_UTF8)
    rows = _csv_rows(utf8.content, "utf-8-sig")
    assert rows[0][:5] == ["対象月", "請求先", "施設", "明細番号", "利用日"]
    assert len(rows) == 3 and rows[1][1] == "総社市"
    assert rows[1][7] == "短期入所（ショートステイ）型"
    assert rows[1][11] == str(SOJA_STAY_TAXABLE)
    sjis = client.get(url, {"encoding": "cp932"})
    assert sjis["Content-Type"] == "text/csv; charset=Windows-31J"
    assert _csv_rows(sjis.content, "cp932") == rows
    assert "_sjis.csv" in sjis["Content-Disposition"]
    assert client.get(url).content == utf8.content  # UTF-8 unless asked otherwise
    assert client.get(url, {"encoding": "latin1"}).status_code == 404


# --- query counts --------------------------------------------------------------------------------


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_history_costs_the_same_with_1_and_20_claims(client_for, kaneko):
    client = client_for(kaneko)
    first = last_month()
    f.facility_claim(slug="kaneko-josanin", month=first)
    one = _count(client, reverse("facility:claims"))
    for back in range(1, 20):
        f.facility_claim(slug="kaneko-josanin", month=month_start(first, back))
    assert _count(client, reverse("facility:claims")) == one


def test_the_claim_page_costs_the_same_with_1_and_50_lines(client_for, kaneko, kunitomi):
    small = draft_claim(kunitomi, 1)
    large = draft_claim(kaneko, 50)
    assert large.lines.count() == 50
    one = _count(client_for(kunitomi), reverse("facility:claim", args=[small.pk]))
    assert _count(client_for(kaneko), reverse("facility:claim", args=[large.pk])) == one


# --- 契約内容 ------------------------------------------------------------------------------------


def _section(page: str, code: str) -> str:
    return page.split(f'id="m-{code}"')[1].split("</section>")[0]


def test_the_contracts_page_shows_services_windows_and_each_tiers_amount(client_for, kaneko):
    page = client_for(kaneko).get(reverse("facility:contracts")).content.decode()
    soja = _section(page, f.SOJA)
    for service in (
        "短期入所（ショートステイ）型",
        "通所（デイサービス）型",
        "居宅訪問（アウトリーチ）型",
    ):
        assert service in soja
    assert "産後1年以内" in soja
    for tier in ("生活保護世帯", "市民税非課税世帯", "上記以外の方"):
        assert tier in soja
    for amount in ("26,000円", "13,000円", "10,000円", "21,500円", "11,250円", "8,000円"):
        assert amount in soja
    assert "17,000円" in soja and "7,000円" in soja and "3,500円" in soja
    assert "5,500円" in soja  # 多胎児加算
    assert "総社市役所 こども課 母子保健係" in soja and "(0866) 92-8261" in soja
    assert "聞き取り調査の結果、不承認となる場合があります。" in soja  # the programme's notices
    assert "市へ先に連絡" not in soja
    kumamoto = _section(page, f.KUMAMOTO)
    assert "宿泊型" in kumamoto and "30,000円" in kumamoto and "産後1年未満" in kumamoto
    assert "10%" in kumamoto  # 熊本市: the copay share per tier
    for code in ("stay", "day_5h", "visit", "welfare", "tax_exempt", "taxable"):
        assert code not in soja + kumamoto  # the programmes' names, never a code


def test_a_contact_first_facility_sees_that_rule(client_for, kunitomi):
    page = client_for(kunitomi).get(reverse("facility:contracts")).content.decode()
    soja = _section(page, f.SOJA)
    assert "市へ先に連絡" in soja and "まず総社市役所 こども課 母子保健係" in soja
    assert "産後3か月以内" in soja and "この施設の契約による期間" in soja
    assert "居宅訪問（アウトリーチ）型" not in soja.split("受け入れの条件")[0]
    assert f'id="m-{f.KUMAMOTO}"' not in page


@pytest.mark.parametrize("slug", ["kurashiki-central-hospital"])
def test_an_own_patients_only_facility_sees_that_rule(client_for, slug):
    page = client_for(f.facility_staff(slug)).get(reverse("facility:contracts")).content.decode()
    assert "受診者のみ" in _section(page, f.SOJA)
