"""Decisions and money in the staff office: 承認・不承認 with a confirmation step, 利用変更（中止）
申請, 償還払い and the line-by-line review of the facilities' monthly claims."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sango.applications.models import Application, ChangeRequest, Decision
from sango.billing.models import ClaimLine, FacilityClaim, RejectionReason
from sango.billing.services import claim_generate, claim_submit
from sango.core.tests import factories as f
from sango.reimbursements.models import Reimbursement
from sango.reimbursements.services import reimbursement_submit
from sango.usage.services import use_record
from sango.vouchers.models import Voucher


def _form(response) -> dict[str, str]:
    """The values of the page's first POST form as a browser would send them (no button)."""
    form = response.context["form"]
    values = {}
    for field in form:
        value = field.value()
        values[field.html_name] = "" if value is None else str(value)
    return values


def _ready(clerk, **kwargs) -> Application:
    mother = f.mother_with_baby(born=f.days_ago(30), **kwargs)
    return f.interviewed_application(mother=mother, staff=clerk)


def _approved(clerk, boss, *, grants=None, born=30) -> Application:
    mother = f.mother_with_baby(born=f.days_ago(born))
    return f.approved_application(
        mother=mother, grants=grants or {"stay": 5}, staff=clerk, boss=boss
    )


# --- 承認 ---------------------------------------------------------------------------------------


def test_an_approver_approves_through_the_confirmation_step_once(client_for, clerk, boss):
    application = _ready(clerk)
    client = client_for(boss)
    url = reverse("staff:approve", args=[application.pk])
    first = client.get(url)
    page = first.content.decode()
    assert "短期入所（ショートステイ）型（泊）" in page and "上限 7泊" in page
    values = _form(first)
    assert values["grant_stay"] == "7"  # the programme's cap, nothing requested
    delivery = application.mother.delivery_date
    assert values["valid_from"] == timezone.localdate().isoformat()
    assert values["valid_until"] == (delivery.replace(year=delivery.year + 1)).isoformat()
    values.update(grant_stay="３", grant_day="", grant_visit="2")
    confirm = client.post(url, values)
    page = confirm.content.decode()
    assert "次の内容で承認し、利用承認通知書兼利用券を発行します" in page
    assert "短期入所（ショートステイ）型: <strong>3泊</strong>" in page
    assert "通所（デイサービス）型" not in page.split("発行する内容")[1].split("利用期間")[0]
    assert "令和" in page and "上記以外の方" in page and application.mother.name in page
    assert not Decision.objects.exists()
    final = {**values, "confirm": "1"}
    done = client.post(url, final)
    assert done.status_code == 302 and done["Location"] == reverse(
        "staff:case", args=[application.pk]
    )
    again = client.post(url, final)  # the confirm button pressed twice
    assert again.status_code == 302
    assert Decision.objects.filter(application=application).count() == 1
    assert Voucher.objects.filter(application=application).count() == 1
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert {g.cap: g.quantity for g in application.grants.all()} == {"stay": 3, "visit": 2}
    case = client.get(done["Location"]).content.decode()
    decision = Decision.objects.get(application=application)
    assert f'<a href="{reverse("staff:letter", args=[decision.pk])}">通知書（' in case
    assert "&lt;a" not in case


def test_going_back_from_the_confirmation_keeps_what_was_typed(client_for, clerk, boss):
    application = _ready(clerk)
    client = client_for(boss)
    url = reverse("staff:approve", args=[application.pk])
    values = {**_form(client.get(url)), "grant_stay": "２", "valid_from": "R8.12.1", "back": "1"}
    page = client.post(url, values).content.decode()
    assert 'value="２"' in page and 'value="R8.12.1"' in page
    assert "確認へ進む" in page and not Decision.objects.exists()


def test_a_quantity_above_the_cap_shows_the_caps_message_at_its_field(client_for, clerk, boss):
    application = _ready(clerk)
    client = client_for(boss)
    url = reverse("staff:approve", args=[application.pk])
    values = {**_form(client.get(url)), "grant_stay": "８"}
    response = client.post(url, values)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["grant_stay"] == ["短期入所（ショートステイ）型の数量は1から7です。"]
    assert 'value="８"' in response.content.decode()
    # Sent straight to the confirm step, the service says the same at the same field.
    response = client.post(url, {**values, "confirm": "1"})
    assert (
        "短期入所（ショートステイ）型の数量は1から7です。"
        in response.context["form"].errors["grant_stay"]
    )
    assert not Decision.objects.exists() and not Voucher.objects.exists()


def test_the_approval_form_starts_from_the_request_and_counts_twins(client_for):
    with f.with_test_programmes():
        staff, boss = f.clerk(f.YURIKAGO), f.approver(f.YURIKAGO)
        mother = f.mother_with_baby(code=f.YURIKAGO, born=f.days_ago(20), twins=True)
        application = f.interviewed_application(mother=mother, staff=staff)
        Application.objects.filter(pk=application.pk).update(requested={"stay": 3, "day": 20})
        response = client_for(boss).get(reverse("staff:approve", args=[application.pk]))
        page = response.content.decode()
    # Pooled cap of 7 days, plus 7 for the second twin; 23 asked for, never above the cap.
    assert _form(response)["grant_all_days"] == "14"
    assert "上限 14日" in page and "多胎の加算を含む" in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("令和8年13月1日", "日付として読めません"),
        ("2026-02-30", "日付として読めません"),
        ("", "この項目は必須です。"),
    ],
)
def test_a_bad_start_date_is_shown_and_nothing_is_saved(client_for, clerk, boss, typed, message):
    application = _ready(clerk)
    client = client_for(boss)
    url = reverse("staff:approve", args=[application.pk])
    values = {**_form(client.get(url)), "valid_from": typed, "grant_stay": "３"}
    response = client.post(url, {**values, "confirm": "1"})
    page = response.content.decode()
    assert message in " ".join(response.context["form"].errors["valid_from"])
    assert 'value="３"' in page and "入力内容を確認してください" in page
    assert not Decision.objects.exists()


def test_an_end_after_the_postpartum_window_is_refused_at_its_field(client_for, clerk, boss):
    application = _ready(clerk)
    client = client_for(boss)
    url = reverse("staff:approve", args=[application.pk])
    later = application.mother.delivery_date + timedelta(days=400)
    values = {**_form(client.get(url)), "valid_until": later.isoformat(), "confirm": "1"}
    response = client.post(url, values)
    assert "利用期間は産後1年以内" in " ".join(response.context["form"].errors["valid_until"])
    assert not Decision.objects.exists()


# --- 不承認 -------------------------------------------------------------------------------------


def test_a_rejection_needs_a_reason_and_then_confirms_once(client_for, clerk, boss):
    application = _ready(clerk)
    client = client_for(boss)
    url = reverse("staff:reject", args=[application.pk])
    values = _form(client.get(url))
    response = client.post(url, {**values, "reason": "  ", "confirm": "1"})
    assert response.context["form"].errors["reason"] == ["この項目は必須です。"]
    values["reason"] = "聞き取りの結果、医療機関での対応が適当と判断しました。"
    confirm = client.post(url, values).content.decode()
    assert "不承認通知書を発行します。教示文が付きます。" in confirm
    assert "聞き取りの結果" in confirm and not Decision.objects.exists()
    for _ in range(2):
        assert client.post(url, {**values, "confirm": "1"}).status_code == 302
    decision = Decision.objects.get(application=application)
    assert decision.kind == Decision.Kind.REJECTION
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED


# --- who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["approve", "reject"])
def test_a_clerk_cannot_decide_an_application(client_for, clerk, name):
    application = _ready(clerk)
    client = client_for(clerk)
    url = reverse(f"staff:{name}", args=[application.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "x", "confirm": "1"}).status_code == 403
    assert not Decision.objects.exists()


@pytest.mark.parametrize(
    "name", ["approve", "reject", "change_new", "reimbursement_new", "claims", "reimbursements"]
)
def test_anonymous_mothers_and_facilities_are_kept_out(client_for, clerk, name):
    application = _ready(clerk)
    args = [] if name in ("claims", "reimbursements") else [application.pk]
    url = reverse(f"staff:{name}", args=args)
    anonymous = client_for(None).get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("staff:login"))
    assert client_for(f.mother_user()).get(url).status_code == 403
    assert client_for(f.facility_staff("kaneko-josanin")).get(url).status_code == 403


@pytest.mark.parametrize("name", ["approve", "reject", "change_new", "reimbursement_new"])
def test_another_municipalitys_case_is_not_found(client_for, clerk, ward_clerk, name):
    application = _ready(clerk)
    other_boss = f.approver(f.KUMAMOTO)
    for user in (ward_clerk, other_boss):
        response = client_for(user).get(reverse(f"staff:{name}", args=[application.pk]))
        assert response.status_code == (
            403 if user is ward_clerk and name in ("approve", "reject") else 404
        )


# --- 利用変更（中止）申請 -------------------------------------------------------------------------


def test_a_clerk_enters_a_change_request_once(client_for, clerk, boss):
    application = _approved(clerk, boss)
    client = client_for(clerk)
    url = reverse("staff:change_new", args=[application.pk])
    page = client.get(url)
    assert "現在 5泊。空欄は変更なし" in page.content.decode()
    values = {
        **_form(page),
        "kind": "change",
        "grant_stay": "６",
        "valid_until": "",
        "reason": "体調不良のため延長",
    }
    for _ in range(2):
        response = client.post(url, values)
        assert response.status_code == 302
    change = ChangeRequest.objects.get(application=application)
    assert change.kind == "change" and change.grants == {"stay": 6}
    assert change.facility is None and change.valid_until is None


def test_a_change_request_with_nothing_to_change_is_refused(client_for, clerk, boss):
    application = _approved(clerk, boss)
    client = client_for(clerk)
    url = reverse("staff:change_new", args=[application.pk])
    values = {**_form(client.get(url)), "kind": "change", "valid_until": "令和9年2月30日"}
    response = client.post(url, values)
    assert "日付として読めません" in " ".join(response.context["form"].errors["valid_until"])
    values["valid_until"] = ""
    response = client.post(url, values)
    assert "変更する内容を入力してください。" in response.context["form"].errors["grant_stay"]
    assert not ChangeRequest.objects.exists()


def _change(clerk, boss, kind="change", **extra) -> ChangeRequest:
    from sango.applications.changes import change_request_submit

    application = _approved(clerk, boss)
    return change_request_submit(application=application, actor=clerk, kind=kind, **extra)


def test_clerks_read_a_change_request_and_only_approvers_decide(client_for, clerk, boss):
    change = _change(clerk, boss, grants={"stay": 7}, reason="延長")
    url = reverse("staff:change", args=[change.pk])
    page = client_for(clerk).get(url).content.decode()
    assert "5泊" in page and "<strong>7泊</strong>" in page and "決裁者の決定を待っています" in page
    assert 'name="decision"' not in page
    response = client_for(clerk).post(url, {"decision": "approve", "confirm": "1"})
    assert response.status_code == 403
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.SUBMITTED


def test_an_approver_approves_a_change_through_the_confirmation(client_for, clerk, boss):
    change = _change(clerk, boss, grants={"stay": 7})
    client = client_for(boss)
    url = reverse("staff:change", args=[change.pk])
    values = {**_form(client.get(url)), "decision": "approve"}
    confirm = client.post(url, values).content.decode()
    assert "次の内容で変更を承認し、利用変更承認通知書を発行します" in confirm
    for _ in range(2):
        assert client.post(url, {**values, "confirm": "1"}).status_code == 302
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.APPROVED
    assert Decision.objects.filter(change_request=change).count() == 1
    assert change.application.grants.get(cap="stay").quantity == 7


def test_rejecting_a_change_needs_a_reason(client_for, clerk, boss):
    change = _change(clerk, boss, kind="cancel", reason="転出")
    client = client_for(boss)
    url = reverse("staff:change", args=[change.pk])
    values = {**_form(client.get(url)), "decision": "reject", "confirm": "1"}
    response = client.post(url, values)
    assert response.context["form"].errors["reason"] == ["不承認の理由を入力してください。"]
    response = client.post(url, {**values, "reason": "書類不備"})
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.REJECTED


def test_another_municipality_cannot_see_a_change_request(client_for, clerk, boss, ward_clerk):
    change = _change(clerk, boss, kind="cancel")
    assert client_for(ward_clerk).get(reverse("staff:change", args=[change.pk])).status_code == 404


# --- 償還払い ------------------------------------------------------------------------------------


def _receipt(**extra) -> dict[str, str]:
    return {
        "facility_name": "東京ベビーケアハウス",
        "facility_address": "東京都世田谷区",
        "service": "stay",
        "day": f.days_ago(5).isoformat(),
        "start": "",
        "end": "",
        "quantity": "１",
        "infants": "1",
        "amount_paid": "３０，０００円",
        "receipt_number": "A-123",
        **extra,
    }


def test_a_clerk_enters_a_reimbursement_from_the_receipt_once(client_for, clerk, boss):
    application = _approved(clerk, boss)
    client = client_for(clerk)
    url = reverse("staff:reimbursement_new", args=[application.pk])
    page = client.get(url)
    assert "短期入所（ショートステイ）型" in page.content.decode()
    day = f.days_ago(5)
    values = {**_form(page), **_receipt(day=f"R{day.year - 2018}.{day.month}.{day.day}")}
    for _ in range(2):
        response = client.post(url, values)
        assert response.status_code == 302
    claim = Reimbursement.objects.get()
    assert claim.amount_paid == 30000 and claim.day == day and claim.quantity == 1
    assert response["Location"] == reverse("staff:reimbursement", args=[claim.pk])


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("amount_paid", "三万円", "数字で入力してください。"),
        ("day", "令和8年2月30日", "日付として読めません"),
        ("facility_name", "", "この項目は必須です。"),
        ("start", "2026-11-20 25:00", "日付と時刻として読めません"),
    ],
)
def test_a_bad_receipt_keeps_what_was_typed(client_for, clerk, boss, field, typed, message):
    application = _approved(clerk, boss)
    client = client_for(clerk)
    url = reverse("staff:reimbursement_new", args=[application.pk])
    values = {**_form(client.get(url)), **_receipt(**{field: typed})}
    response = client.post(url, values)
    assert message in " ".join(response.context["form"].errors[field])
    assert "東京都世田谷区" in response.content.decode()
    assert not Reimbursement.objects.exists()


def test_a_day_without_reimbursement_in_the_programme_shows_the_services_message(
    client_for, clerk, boss
):
    application = _approved(clerk, boss)
    client = client_for(clerk)
    url = reverse("staff:reimbursement_new", args=[application.pk])
    values = {**_form(client.get(url)), **_receipt(day="2025-03-01")}
    response = client.post(url, values)
    assert "償還払いの対象ではありません" in " ".join(response.context["form"].errors["day"])
    assert not Reimbursement.objects.exists()


def _reimbursement(clerk, boss, *, day=None, amount_paid=30000) -> Reimbursement:
    application = _approved(clerk, boss)
    return reimbursement_submit(
        voucher=f.voucher_for(application),
        actor=clerk,
        facility_name="東京ベビーケアハウス",
        facility_address="東京都世田谷区",
        service="stay",
        amount_paid=amount_paid,
        day=day or f.days_ago(5),
    )


def test_an_approver_decides_a_reimbursement_and_sees_the_amount(client_for, clerk, boss):
    claim = _reimbursement(clerk, boss)
    client = client_for(boss)
    url = reverse("staff:reimbursement", args=[claim.pk])
    page = client.get(url)
    values = {"action": "approve", "once": page.context["pay"]["once"].value()}
    for _ in range(2):
        assert client.post(url, values).status_code == 302
    claim.refresh_from_db()
    assert claim.status == Reimbursement.Status.APPROVED
    assert claim.amount == 17000  # 総社市 課税世帯 短期入所 17,000円, below the 30,000円 paid
    after = client.get(url).content.decode()
    assert "17,000円" in after and "支給を決定する" not in after


def test_a_reimbursement_the_rules_refuse_shows_every_reason(client_for, clerk, boss):
    claim = _reimbursement(clerk, boss, day=f.days_ago(40))  # before her period began
    client = client_for(boss)
    url = reverse("staff:reimbursement", args=[claim.pk])
    once = client.get(url).context["pay"]["once"].value()
    page = client.post(url, {"action": "approve", "once": once}).content.decode()
    assert 'class="refusal"' in page and "利用日が有効期間の外です。" in page
    claim.refresh_from_db()
    assert claim.status == Reimbursement.Status.SUBMITTED


def test_a_reimbursement_is_refused_with_a_reason(client_for, clerk, boss):
    claim = _reimbursement(clerk, boss)
    client = client_for(boss)
    url = reverse("staff:reimbursement", args=[claim.pk])
    once = client.get(url).context["refuse"]["once"].value()
    response = client.post(url, {"action": "reject", "once": once, "reason": ""})
    assert response.context["refuse"].errors["reason"] == ["この項目は必須です。"]
    client.post(url, {"action": "reject", "once": once, "reason": "領収書が不鮮明"})
    claim.refresh_from_db()
    assert claim.status == Reimbursement.Status.REJECTED


def test_a_clerk_cannot_decide_a_reimbursement(client_for, clerk, boss):
    claim = _reimbursement(clerk, boss)
    client = client_for(clerk)
    url = reverse("staff:reimbursement", args=[claim.pk])
    page = client.get(url).content.decode()
    assert "支給を決定する" not in page and "決裁者の決定を待っています" in page
    assert client.post(url, {"action": "approve", "once": "x"}).status_code == 403
    claim.refresh_from_db()
    assert claim.status == Reimbursement.Status.SUBMITTED


def test_the_reimbursement_list_puts_waiting_first_and_filters(client_for, clerk, boss, ward_clerk):
    waiting = _reimbursement(clerk, boss)
    done = _reimbursement(clerk, boss)
    from sango.reimbursements.services import reimbursement_reject

    reimbursement_reject(reimbursement=done, actor=boss, reason="重複")
    page = client_for(clerk).get(reverse("staff:reimbursements")).content.decode()
    first = page.index(reverse("staff:reimbursement", args=[waiting.pk]))
    assert first < page.index(reverse("staff:reimbursement", args=[done.pk]))
    filtered = client_for(clerk).get(reverse("staff:reimbursements"), {"status": "rejected"})
    assert reverse("staff:reimbursement", args=[waiting.pk]) not in filtered.content.decode()
    other = client_for(ward_clerk).get(reverse("staff:reimbursements")).content.decode()
    assert "東京ベビーケアハウス" not in other
    assert (
        client_for(ward_clerk).get(reverse("staff:reimbursement", args=[done.pk])).status_code
        == 404
    )


def test_the_reimbursement_list_query_count_does_not_grow(
    client_for, clerk, boss, django_assert_max_num_queries
):
    client = client_for(clerk)
    _reimbursement(clerk, boss)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("staff:reimbursements"))
    for _ in range(9):
        _reimbursement(clerk, boss)
    with django_assert_max_num_queries(len(one)):
        client.get(reverse("staff:reimbursements"))


# --- 委託料請求 -----------------------------------------------------------------------------------


def submitted_claim(clerk, boss, *, lines: int = 2, slug: str = "kaneko-josanin") -> FacilityClaim:
    """A claim generated and submitted by the facility's staff, ``lines`` stays long."""
    staff = f.facility_staff(slug)
    made = 0
    while made < lines:
        voucher = f.voucher_for(_approved(clerk, boss, grants={"stay": 7}, born=40))
        for day in range(min(5, lines - made)):
            use_record(
                voucher_id=voucher.pk,
                facility=staff.facility,
                actor=staff,
                idempotency_key=f"{voucher.pk}-{day}",
                service="stay",
                day=f.days_ago(30 - day),
                quantity=1,
                fee=30000,
            )
            made += 1
    claim = claim_generate(
        facility=staff.facility,
        municipality=f.municipality(),
        month=timezone.localdate().replace(day=1),
        actor=staff,
    )
    return claim_submit(claim=claim, actor=staff)


def _review_values(response, **chosen) -> dict[str, str]:
    values = {"action": "review", **_form_named(response, "review")}
    values.update(chosen)
    return values


def _form_named(response, name: str) -> dict[str, str]:
    form = response.context[name]
    return {b.html_name: "" if b.value() is None else str(b.value()) for b in form}


def test_a_clerk_reviews_lines_and_the_approver_approves(client_for, clerk, boss):
    claim = submitted_claim(clerk, boss, lines=2)
    first, second = claim.lines.order_by("use__day", "pk")
    url = reverse("staff:claim", args=[claim.pk])
    client = client_for(clerk)
    page = client.get(url)
    text = page.content.decode()
    assert "返戻 1 利用券を確認できません" in text and "短期入所（ショートステイ）型" in text
    assert "請求を確定する" not in text  # the decision is the approver's
    values = _review_values(
        page, **{f"line_{first.pk}": "accept", f"line_{second.pk}": str(RejectionReason.WRONG_FEE)}
    )
    for _ in range(2):
        assert client.post(url, values).status_code == 302
    first.refresh_from_db(), second.refresh_from_db()
    assert first.status == ClaimLine.Status.ACCEPTED
    assert second.status == ClaimLine.Status.REJECTED and second.rejection_reason == 4
    assert client.post(url, {"action": "approve", "once": "x"}).status_code == 403
    boss_client = client_for(boss)
    page = boss_client.get(url)
    text = page.content.decode()
    assert "17,000円" in text  # accepted and returned totals
    once = page.context["decide"]["once"].value()
    assert boss_client.post(url, {"action": "approve", "once": once}).status_code == 302
    claim.refresh_from_db()
    assert claim.status == FacilityClaim.Status.APPROVED and claim.approved_total == 17000


def test_reason_nine_needs_a_note_and_nothing_is_saved(client_for, clerk, boss):
    claim = submitted_claim(clerk, boss, lines=2)
    first, second = claim.lines.order_by("use__day", "pk")
    url = reverse("staff:claim", args=[claim.pk])
    client = client_for(clerk)
    values = _review_values(
        client.get(url), **{f"line_{first.pk}": "accept", f"line_{second.pk}": "9"}
    )
    response = client.post(url, values)
    assert response.status_code == 200
    errors = response.context["review"].errors
    assert errors[f"note_{second.pk}"] == ["「その他」の場合は備考を入力してください。"]
    assert "入力内容を確認してください" in response.content.decode()
    assert set(claim.lines.values_list("status", flat=True)) == {ClaimLine.Status.PENDING}
    values[f"note_{second.pk}"] = "同日に二重の記録"
    assert client.post(url, values).status_code == 302
    second.refresh_from_db()
    assert second.rejection_reason == 9 and second.rejection_note == "同日に二重の記録"


def test_a_claim_with_unreviewed_lines_cannot_be_approved(client_for, clerk, boss):
    claim = submitted_claim(clerk, boss, lines=1)
    client = client_for(boss)
    url = reverse("staff:claim", args=[claim.pk])
    once = client.get(url).context["decide"]["once"].value()
    response = client.post(url, {"action": "approve", "once": once})
    assert "未審査の明細があります。" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == FacilityClaim.Status.SUBMITTED


def test_an_approver_returns_a_claim(client_for, clerk, boss):
    claim = submitted_claim(clerk, boss, lines=1)
    client = client_for(boss)
    url = reverse("staff:claim", args=[claim.pk])
    once = client.get(url).context["decide"]["once"].value()
    assert client.post(url, {"action": "return", "once": once}).status_code == 302
    claim.refresh_from_db()
    assert claim.status == FacilityClaim.Status.RETURNED


def test_claims_are_listed_submitted_first_and_kept_to_the_municipality(
    client_for, clerk, boss, ward_clerk
):
    draft = f.facility_claim(slug="hanada-josanin", month=date(2026, 10, 1))
    claim = submitted_claim(clerk, boss, lines=1)
    page = client_for(clerk).get(reverse("staff:claims")).content.decode()
    assert page.index(reverse("staff:claim", args=[claim.pk])) < page.index(
        reverse("staff:claim", args=[draft.pk])
    )
    october = client_for(clerk).get(reverse("staff:claims"), {"month": "2026-10-01"})
    assert reverse("staff:claim", args=[claim.pk]) not in october.content.decode()
    assert (
        "かねこ助産院" not in client_for(ward_clerk).get(reverse("staff:claims")).content.decode()
    )
    assert client_for(ward_clerk).get(reverse("staff:claim", args=[claim.pk])).status_code == 404


def test_the_claims_list_query_count_does_not_grow(
    client_for, clerk, django_assert_max_num_queries
):
    client = client_for(clerk)
    f.facility_claim(slug="kaneko-josanin", month=date(2025, 1, 1))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("staff:claims"))
    for month in range(2, 12):
        f.facility_claim(slug="kaneko-josanin", month=date(2025, month, 1))
    with django_assert_max_num_queries(len(one)):
        client.get(reverse("staff:claims"))


def test_a_claims_query_count_does_not_grow_with_its_lines(
    client_for, clerk, boss, django_assert_max_num_queries
):
    small = submitted_claim(clerk, boss, lines=1, slug="kaneko-josanin")
    large = submitted_claim(clerk, boss, lines=10, slug="tanbobo-josanin")
    client = client_for(boss)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("staff:claim", args=[small.pk]))
    with django_assert_max_num_queries(len(one)):
        page = client.get(reverse("staff:claim", args=[large.pk]))
    assert len(page.context["rows"]) == 10
