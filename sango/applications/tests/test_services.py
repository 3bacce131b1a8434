"""The application process: every step from every state, who may decide, what a decision needs,
what it issues (numbered letter, voucher, confirmed bookings) and the audit trail it leaves."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from sango.applications.models import Application, Decision, Grant, TierBasis
from sango.applications.services import (
    application_approve,
    application_create,
    application_record_interview,
    application_reject,
    application_submit,
    application_verify_tier,
    applications_expire,
)
from sango.audit.models import AuditEvent
from sango.audit.selectors import audit_for_application
from sango.bookings.models import Booking
from sango.bookings.services import booking_create
from sango.core.errors import InvalidState, ServiceError
from sango.core.tests import factories as f
from sango.municipalities.models import Office
from sango.vouchers.models import Voucher

pytestmark = pytest.mark.django_db
Status = Application.Status

# 熊本市 took applications until 2024-03-31; from 2024-04-01 it hands out usage cards.
KUMAMOTO_BORN = date(2024, 2, 10)
KUMAMOTO_SUBMITTED = f.at(date(2024, 3, 11), 10)
KUMAMOTO_DECIDED = f.at(date(2024, 3, 15), 14)


@pytest.fixture(autouse=True)
def programmes():
    f.load_programmes()


def kumamoto_mother(born: date = KUMAMOTO_BORN):
    return f.mother_with_baby(code=f.KUMAMOTO, born=born)


def kumamoto_draft(mother=None):
    mother = mother or kumamoto_mother()
    return application_create(actor=f.clerk(f.KUMAMOTO), mother=mother)


# --- every step from every state -------------------------------------------------------------


def _submit(application):
    return application_submit(application=application, actor=f.clerk(), channel="in_person")


def _interview(application):
    return application_record_interview(
        application=application,
        actor=f.clerk(),
        conducted_at=timezone.now(),
        method="phone",
        needs_found=["support_needed"],
    )


def _verify_tier(application):
    return application_verify_tier(
        application=application, actor=f.clerk(), tier="welfare", basis=TierBasis.CERTIFICATE
    )


def _approve(application):
    return application_approve(application=application, actor=f.approver(), grants={"stay": 3})


def _reject(application):
    return application_reject(
        application=application, actor=f.approver(), reason="要件に該当しない"
    )


# step: (service call, the states it may start from, the state it leads to; None = unchanged)
STEPS = {
    "submit": (_submit, {Status.DRAFT}, Status.SUBMITTED),
    "interview": (_interview, {Status.SUBMITTED, Status.INTERVIEWED}, Status.INTERVIEWED),
    "verify_tier": (_verify_tier, {Status.DRAFT, Status.SUBMITTED, Status.INTERVIEWED}, None),
    # 総社市 requires the interview (聞き取り調査) before a decision.
    "approve": (_approve, {Status.INTERVIEWED}, Status.APPROVED),
    "reject": (_reject, {Status.SUBMITTED, Status.INTERVIEWED}, Status.REJECTED),
}
TRANSITIONS = [
    pytest.param(step, state, id=f"{step}-from-{state}") for step in STEPS for state in Status
]


@pytest.mark.parametrize(("step", "state"), TRANSITIONS)
def test_each_step_starts_only_from_its_states(step: str, state: str) -> None:
    call, allowed, leads_to = STEPS[step]
    application = f.application_in(state)
    events = AuditEvent.objects.count()
    if state in allowed:
        call(application)
        application.refresh_from_db()
        assert application.status == (leads_to or state)
        assert AuditEvent.objects.count() > events
    else:
        with pytest.raises(InvalidState):
            call(application)
        application.refresh_from_db()
        assert application.status == state
        assert AuditEvent.objects.count() == events


# --- submission: channels, proxies, the programme's mode -------------------------------------


def test_submit_in_person_records_who_when_and_how() -> None:
    mother = f.mother_with_baby(born=f.days_ago(20))
    staff = f.clerk()
    application = application_create(actor=staff, mother=mother, requested={"stay": 3})
    moment = f.at(f.days_ago(1), 9, 30)
    application_submit(
        application=application, actor=staff, channel="in_person", submitted_at=moment
    )
    application.refresh_from_db()
    assert (application.status, application.channel) == (Status.SUBMITTED, "in_person")
    assert application.submitted_at == moment
    assert application.created_by == staff
    assert not application.by_proxy
    # 総社市 states no decision target.
    assert application.decision_due is None


@pytest.mark.parametrize("channel", ["post", "online", "fax"])
def test_soja_takes_applications_only_at_the_counter(channel: str) -> None:
    application = f.application_in(Status.DRAFT)
    with pytest.raises(ServiceError) as refused:
        _submit_with(application, channel=channel)
    assert refused.value.field == "channel"
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_soja_refuses_a_proxy_even_with_every_document() -> None:
    application = f.application_in(Status.DRAFT)
    with pytest.raises(ServiceError) as refused:
        _submit_with(application, channel="in_person", **PROXY)
    assert refused.value.field == "by_proxy"


def _submit_with(application, **fields):
    return application_submit(
        application=application, actor=f.clerk(application.municipality.code), **fields
    )


PROXY = {
    "by_proxy": True,
    "proxy_name": "熊本 太郎",
    "proxy_relationship": "夫",
    "proxy_id_document": "運転免許証",
    "attorney_letter_received": True,
}


def test_kumamoto_takes_applications_by_post_with_a_seven_day_target() -> None:
    application = kumamoto_draft()
    _submit_with(application, channel="post", submitted_at=KUMAMOTO_SUBMITTED)
    application.refresh_from_db()
    assert (application.status, application.channel) == (Status.SUBMITTED, "post")
    # 決定通知が届くまで1週間程度: 7 calendar days.
    assert application.decision_due == date(2024, 3, 18)


def test_kumamoto_decision_target_counts_calendar_days_over_a_month_end() -> None:
    application = kumamoto_draft()
    _submit_with(application, channel="in_person", submitted_at=f.at(date(2024, 3, 29), 16))
    application.refresh_from_db()
    assert application.decision_due == date(2024, 4, 5)


def test_kumamoto_refuses_online_applications() -> None:
    application = kumamoto_draft()
    with pytest.raises(ServiceError) as refused:
        _submit_with(application, channel="online", submitted_at=KUMAMOTO_SUBMITTED)
    assert refused.value.field == "channel"


def test_kumamoto_accepts_a_proxy_with_attorney_letter_and_id() -> None:
    application = kumamoto_draft()
    _submit_with(application, channel="in_person", submitted_at=KUMAMOTO_SUBMITTED, **PROXY)
    application.refresh_from_db()
    assert application.by_proxy and application.attorney_letter_received
    assert (application.proxy_name, application.proxy_id_document) == ("熊本 太郎", "運転免許証")


@pytest.mark.parametrize("missing", ["proxy_name", "proxy_id_document", "attorney_letter_received"])
def test_a_proxy_without_letter_or_id_is_refused(missing: str) -> None:
    application = kumamoto_draft()
    fields = {**PROXY, missing: False if missing == "attorney_letter_received" else ""}
    with pytest.raises(ServiceError) as refused:
        _submit_with(application, channel="in_person", submitted_at=KUMAMOTO_SUBMITTED, **fields)
    assert refused.value.field == "attorney_letter_received"
    application.refresh_from_db()
    assert application.status == Status.DRAFT and not application.by_proxy


def test_proxy_is_not_a_channel_that_skips_the_documents() -> None:
    # 熊本市 lists "proxy" among its ways of applying; naming it as the channel must not let a
    # proxy apply without the letter of attorney and ID.
    application = kumamoto_draft()
    with pytest.raises(ServiceError) as refused:
        _submit_with(application, channel="proxy", submitted_at=KUMAMOTO_SUBMITTED)
    assert refused.value.field == "channel"
    application.refresh_from_db()
    assert application.status == Status.DRAFT


@pytest.mark.parametrize(
    "moment",
    [
        f.at(date(2024, 4, 1), 0, 0),
        f.at(date(2024, 6, 3), 10),
        # 2024-03-31 15:00 UTC is already 1 April in Japan.
        datetime(2024, 3, 31, 15, 0, tzinfo=UTC),
    ],
)
def test_kumamoto_refuses_applications_once_usage_cards_start(moment) -> None:
    application = kumamoto_draft()
    with pytest.raises(ServiceError) as refused:
        _submit_with(application, channel="in_person", submitted_at=moment)
    assert refused.value.code == "no_application"
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_kumamoto_takes_the_last_application_on_31_march() -> None:
    application = kumamoto_draft()
    _submit_with(application, channel="in_person", submitted_at=f.at(date(2024, 3, 31), 23, 59))
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_an_application_taken_before_usage_cards_is_decided_under_its_own_rules() -> None:
    # Submitted on Friday 2024-03-29 under the pre-application rules, which require the
    # interview; the decision falls on 2024-04-02, after usage cards replaced applications.
    # The interview is still needed: the rules of the day it was taken decide its process.
    mother = kumamoto_mother(date(2024, 3, 1))
    application = f.submitted_application(
        mother=mother, submitted_at=f.at(date(2024, 3, 29), 15), needs=["physical_recovery"]
    )
    application_verify_tier(
        application=application, actor=f.clerk(f.KUMAMOTO), tier="taxable", basis=TierBasis.LEDGER
    )
    with f.frozen_now(f.at(date(2024, 4, 2), 10)), pytest.raises(InvalidState):
        application_approve(
            application=application, actor=f.approver(f.KUMAMOTO), grants={"stay": 3}
        )
    assert not Voucher.objects.exists()


def test_kumamoto_application_goes_to_a_ward_office() -> None:
    higashi = Office.objects.get(municipality__code=f.KUMAMOTO, code="higashi")
    application = application_create(
        actor=f.clerk(f.KUMAMOTO), mother=kumamoto_mother(), office_id=higashi.pk
    )
    assert application.office == higashi
    assert Office.objects.filter(municipality__code=f.KUMAMOTO, active=True).count() == 5


def test_an_office_of_another_municipality_is_refused() -> None:
    soja_office = Office.objects.get(municipality__code=f.SOJA, code="kodomo")
    with pytest.raises(ServiceError):
        application_create(
            actor=f.clerk(f.KUMAMOTO), mother=kumamoto_mother(), office_id=soja_office.pk
        )
    assert not Application.objects.exists()


def test_temporary_return_needs_the_home_municipality() -> None:
    mother = f.mother_with_baby(born=f.days_ago(10))
    with pytest.raises(ServiceError) as refused:
        application_create(actor=f.clerk(), mother=mother, residence="temporary_return")
    assert refused.value.field == "home_municipality"
    application = application_create(
        actor=f.clerk(),
        mother=mother,
        residence="temporary_return",
        home_municipality="東京都世田谷区",
    )
    assert application.home_municipality == "東京都世田谷区"


def test_online_application_with_a_business_day_target() -> None:
    # ゆりかご市 (invented): online applications, decided within 5 開庁日. Submitted on the
    # Thursday before Golden Week 2026: 5/1, then 5/7, 5/8, 5/11, 5/12.
    with f.with_test_programmes():
        mother = f.mother_with_baby(code=f.YURIKAGO, born=date(2026, 4, 10))
        application = application_create(actor=f.clerk(f.YURIKAGO), mother=mother)
        _submit_with(application, channel="online", submitted_at=f.at(date(2026, 4, 30), 11))
        application.refresh_from_db()
        assert application.channel == "online"
        assert application.decision_due == date(2026, 5, 12)


# --- interview and tier ----------------------------------------------------------------------


def test_interview_records_the_nurse_and_what_was_found() -> None:
    application = f.application_in(Status.SUBMITTED)
    nurse = f.clerk()
    moment = f.at(f.days_ago(2), 14)
    interview = application_record_interview(
        application=application,
        actor=nurse,
        conducted_at=moment,
        method="in_person",
        needs_found=["support_needed"],
        assessment="睡眠不足が続いている",
    )
    assert (interview.conducted_by, interview.conducted_at) == (nurse, moment)
    assert interview.needs_found == ["support_needed"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"needs_found": ["lonely"]}, "needs_found"),
        ({"needs_found": ["support_needed"], "exclusions_found": ["smoker"]}, "exclusions_found"),
    ],
)
def test_interview_accepts_only_the_programmes_conditions(fields: dict, field: str) -> None:
    application = f.application_in(Status.SUBMITTED)
    with pytest.raises(ServiceError) as refused:
        application_record_interview(
            application=application,
            actor=f.clerk(),
            conducted_at=timezone.now(),
            method="phone",
            **fields,
        )
    assert refused.value.field == field
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED and not application.interviews.exists()


@pytest.mark.parametrize(("tier", "basis"), [("rich", "ledger"), ("taxable", "guess")])
def test_verify_tier_refuses_unknown_tier_or_basis(tier: str, basis: str) -> None:
    application = f.application_in(Status.SUBMITTED)
    with pytest.raises(ServiceError):
        application_verify_tier(application=application, actor=f.clerk(), tier=tier, basis=basis)
    application.refresh_from_db()
    assert application.tier == ""


# --- who may decide --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "actor",
    [
        pytest.param(lambda: f.clerk(f.SOJA), id="clerk-same-city"),
        pytest.param(lambda: f.approver(f.KUMAMOTO), id="approver-other-city"),
        pytest.param(lambda: f.facility_staff("kaneko-josanin"), id="facility"),
        pytest.param(f.admin, id="system-admin"),
    ],
)
def test_only_an_approver_of_the_same_municipality_decides(actor) -> None:
    application = f.application_in(Status.INTERVIEWED)
    who = actor()
    for decide in (
        lambda: application_approve(application=application, actor=who, grants={"stay": 3}),
        lambda: application_reject(application=application, actor=who, reason="理由"),
    ):
        with pytest.raises(ServiceError) as refused:
            decide()
        assert refused.value.code == "forbidden"
    application.refresh_from_db()
    assert application.status == Status.INTERVIEWED
    assert not Decision.objects.exists() and not Voucher.objects.exists()


# --- what an approval needs ------------------------------------------------------------------


def test_approval_needs_a_verified_tier() -> None:
    application = f.submitted_application(mother=f.mother_with_baby(born=f.days_ago(20)))
    _interview(application)
    with pytest.raises(ServiceError) as refused:
        _approve(application)
    assert refused.value.field == "tier"


def test_approval_waits_for_a_pending_certificate() -> None:
    mother = f.mother_with_baby(born=f.days_ago(20))
    application = f.interviewed_application(mother=mother, basis=TierBasis.PENDING)
    with pytest.raises(ServiceError) as refused:
        _approve(application)
    assert refused.value.field == "tier"
    assert not Voucher.objects.exists()
    application_verify_tier(
        application=application, actor=f.clerk(), tier="tax_exempt", basis=TierBasis.CERTIFICATE
    )
    _approve(application)
    assert f.voucher_for(application).tier == "tax_exempt"


def test_approval_needs_a_need_found_at_interview() -> None:
    application = f.interviewed_application(
        mother=f.mother_with_baby(born=f.days_ago(20)), needs=[]
    )
    with pytest.raises(ServiceError) as refused:
        _approve(application)
    assert refused.value.field == "needs_found"
    application.refresh_from_db()
    assert application.status == Status.INTERVIEWED


def test_an_exclusion_found_blocks_approval_until_a_later_interview_clears_it() -> None:
    application = f.interviewed_application(
        mother=f.mother_with_baby(born=f.days_ago(20)), exclusions=["medical_care_needed"]
    )
    with pytest.raises(ServiceError) as refused:
        _approve(application)
    assert refused.value.field == "exclusions_found"
    # The follow-up interview a week later finds the mother discharged from treatment.
    application_record_interview(
        application=application,
        actor=f.clerk(),
        conducted_at=timezone.now() + timedelta(minutes=5),
        method="phone",
        needs_found=["support_needed"],
    )
    _approve(application)
    application.refresh_from_db()
    assert application.status == Status.APPROVED


@pytest.mark.parametrize(
    ("grants", "field"),
    [
        ({}, "grants"),
        ({"breast_care": 2}, "grants"),  # 総社市 has no such cap
        ({"stay": 8}, "grants.stay"),  # 7泊まで
        ({"stay": 0}, "grants.stay"),
        ({"stay": 3, "visit": 8}, "grants.visit"),
    ],
)
def test_grants_are_checked_against_the_caps(grants: dict, field: str) -> None:
    application = f.application_in(Status.INTERVIEWED)
    with pytest.raises(ServiceError) as refused:
        application_approve(application=application, actor=f.approver(), grants=grants)
    assert refused.value.field == field
    application.refresh_from_db()
    assert application.status == Status.INTERVIEWED
    assert not Grant.objects.exists() and not Decision.objects.exists()


def test_grants_up_to_the_cap_are_saved() -> None:
    application = f.application_in(Status.INTERVIEWED)
    application_approve(
        application=application, actor=f.approver(), grants={"stay": 7, "day": 7, "visit": 7}
    )
    assert {g.cap: g.quantity for g in application.grants.all()} == {
        "stay": 7,
        "day": 7,
        "visit": 7,
    }


def test_twins_do_not_extend_soja_caps() -> None:
    # 総社市's multiple-birth addition is money per infant (5,500円), not extra nights.
    mother = f.mother_with_baby(born=f.days_ago(20), twins=True)
    application = f.interviewed_application(mother=mother)
    with pytest.raises(ServiceError):
        application_approve(application=application, actor=f.approver(), grants={"stay": 8})


def test_twins_extend_a_cap_that_says_so() -> None:
    # ゆりかご市 (invented): all services together 7 days, plus 7 per additional infant.
    with f.with_test_programmes():
        single = f.interviewed_application(
            mother=f.mother_with_baby(code=f.YURIKAGO, born=f.days_ago(20))
        )
        twins = f.interviewed_application(
            mother=f.mother_with_baby(code=f.YURIKAGO, born=f.days_ago(20), twins=True)
        )
        boss = f.approver(f.YURIKAGO)
        with pytest.raises(ServiceError):
            application_approve(application=single, actor=boss, grants={"all_days": 8})
        with pytest.raises(ServiceError):
            application_approve(application=twins, actor=boss, grants={"all_days": 15})
        application_approve(application=twins, actor=boss, grants={"all_days": 14})
        assert twins.grants.get().quantity == 14


# --- what an approval issues -----------------------------------------------------------------


def test_approval_issues_a_voucher_to_the_end_of_the_window_soja() -> None:
    # 産後1年以内: the first birthday itself is still inside.
    mother = f.mother_with_baby(born=date(2026, 3, 10))
    application = f.interviewed_application(mother=mother, tier="welfare")
    boss = f.approver()
    decision = application_approve(application=application, actor=boss, grants={"stay": 3})
    application.refresh_from_db()
    voucher = f.voucher_for(application)
    assert application.status == Status.APPROVED
    assert application.valid_from == timezone.localdate()
    assert application.valid_until == voucher.valid_until == date(2027, 3, 10)
    assert (voucher.kind, voucher.tier, voucher.status) == ("voucher", "welfare", "active")
    assert voucher.mother == mother and voucher.number.startswith("332089-")
    assert (decision.kind, decision.decided_by) == (Decision.Kind.APPROVAL, boss)
    assert application.decided_at is not None


@pytest.mark.parametrize(
    ("born", "last_day"),
    [
        # 産後1年未満: the day before the first birthday.
        (date(2024, 2, 10), date(2025, 2, 9)),
        # Born 29 February: no 29 February in 2025, so the month's last day is inside.
        (date(2024, 2, 29), date(2025, 2, 28)),
    ],
)
def test_approval_issues_a_voucher_to_the_end_of_the_window_kumamoto(born, last_day) -> None:
    mother = kumamoto_mother(born)
    application = f.interviewed_application(mother=mother, submitted_at=KUMAMOTO_SUBMITTED)
    with f.frozen_now(KUMAMOTO_DECIDED):
        decision = application_approve(
            application=application, actor=f.approver(f.KUMAMOTO), grants={"stay": 7, "day": 3}
        )
    voucher = f.voucher_for(application)
    assert (voucher.valid_from, voucher.valid_until) == (date(2024, 3, 15), last_day)
    assert voucher.number.startswith("431001-")
    assert decision.number == "2023年度 第1号"


def test_explicit_period_is_kept() -> None:
    mother = f.mother_with_baby(born=f.days_ago(40))
    application = f.interviewed_application(mother=mother)
    start, end = f.days_ago(30), f.days_ago(-60)
    application_approve(
        application=application,
        actor=f.approver(),
        grants={"day": 2},
        valid_from=start,
        valid_until=end,
    )
    voucher = f.voucher_for(application)
    assert (voucher.valid_from, voucher.valid_until) == (start, end)


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    application = f.application_in(Status.INTERVIEWED)
    with pytest.raises(ServiceError) as refused:
        application_approve(
            application=application,
            actor=f.approver(),
            grants={"day": 2},
            valid_from=f.days_ago(1),
            valid_until=f.days_ago(2),
        )
    assert refused.value.field == "valid_until"
    assert not Voucher.objects.exists()


def test_approval_confirms_the_provisional_bookings() -> None:
    mother = f.mother_with_baby(born=f.days_ago(20))
    application = f.interviewed_application(mother=mother)
    held = f.provisional_booking(mother=mother, application=application)
    _approve(application)
    held.refresh_from_db()
    assert held.status == Booking.Status.CONFIRMED


def test_rejection_needs_a_reason() -> None:
    application = f.application_in(Status.INTERVIEWED)
    with pytest.raises(ServiceError) as refused:
        application_reject(application=application, actor=f.approver(), reason="  ")
    assert refused.value.field == "reason"
    application.refresh_from_db()
    assert application.status == Status.INTERVIEWED and not Decision.objects.exists()


def test_rejection_gives_its_reason_releases_bookings_and_issues_no_voucher() -> None:
    mother = f.mother_with_baby(born=f.days_ago(20))
    application = f.interviewed_application(mother=mother)
    held = f.provisional_booking(mother=mother, application=application)
    boss = f.approver()
    decision = application_reject(
        application=application, actor=boss, reason="医療機関での対応が必要なため"
    )
    application.refresh_from_db()
    held.refresh_from_db()
    assert application.status == Status.REJECTED
    assert application.rejection_reason == "医療機関での対応が必要なため"
    assert (decision.kind, decision.reason, decision.decided_by) == (
        Decision.Kind.REJECTION,
        "医療機関での対応が必要なため",
        boss,
    )
    assert held.status == Booking.Status.RELEASED
    assert not Voucher.objects.exists()


# --- decision numbers ------------------------------------------------------------------------


def test_decision_numbers_run_per_municipality() -> None:
    # March 2024: both cities decide in 令和5年度 (fiscal 2023), interleaved.
    soja = [
        f.interviewed_application(
            mother=f.mother_with_baby(born=date(2024, 2, 15)),
            submitted_at=f.at(date(2024, 3, 4), 10),
        )
        for _ in range(3)
    ]
    kumamoto = [
        f.interviewed_application(mother=kumamoto_mother(), submitted_at=KUMAMOTO_SUBMITTED)
        for _ in range(2)
    ]
    soja_boss, kumamoto_boss = f.approver(f.SOJA), f.approver(f.KUMAMOTO)
    with f.frozen_now(KUMAMOTO_DECIDED):
        numbers = [
            application_approve(application=soja[0], actor=soja_boss, grants={"stay": 3}),
            application_approve(application=kumamoto[0], actor=kumamoto_boss, grants={"stay": 3}),
            application_reject(application=soja[1], actor=soja_boss, reason="要件外"),
            application_reject(application=kumamoto[1], actor=kumamoto_boss, reason="要件外"),
            application_approve(application=soja[2], actor=soja_boss, grants={"day": 2}),
        ]
    assert [(d.municipality.code, d.number) for d in numbers] == [
        (f.SOJA, "2023年度 第1号"),
        (f.KUMAMOTO, "2023年度 第1号"),
        (f.SOJA, "2023年度 第2号"),
        (f.KUMAMOTO, "2023年度 第2号"),
        (f.SOJA, "2023年度 第3号"),
    ]


def test_decision_numbers_restart_each_fiscal_year_in_japan_time() -> None:
    def decide(moment):
        mother = f.mother_with_baby(born=date(2026, 3, 1))
        application = f.interviewed_application(
            mother=mother, submitted_at=f.at(date(2026, 3, 20), 9)
        )
        with f.frozen_now(moment):
            return application_approve(
                application=application, actor=f.approver(), grants={"stay": 2}
            )

    first = decide(f.at(date(2026, 3, 31), 17))
    # 08:00 on 1 April in Japan is still 31 March in UTC: the number belongs to 令和8年度.
    second = decide(f.at(date(2026, 4, 1), 8))
    third = decide(f.at(date(2026, 4, 1), 9))
    assert [first.number, second.number, third.number] == [
        "2025年度 第1号",
        "2026年度 第1号",
        "2026年度 第2号",
    ]


# --- expiry ----------------------------------------------------------------------------------


def test_applications_expire_after_their_last_day() -> None:
    ended = f.approved_application(
        mother=f.mother_with_baby(born=f.days_ago(400)), grants={"stay": 3}
    )
    ends_today = f.approved_application(
        mother=f.mother_with_baby(born=f.days_ago(365)), grants={"stay": 3}
    )
    still_open = f.application_in(Status.SUBMITTED)
    today = timezone.localdate()
    assert ends_today.valid_until == today

    assert applications_expire(today=today) == 1

    for application in (ended, ends_today, still_open):
        application.refresh_from_db()
    assert ended.status == Status.EXPIRED
    assert f.voucher_for(ended).status == Voucher.Status.EXPIRED
    assert ends_today.status == Status.APPROVED
    assert f.voucher_for(ends_today).status == Voucher.Status.ACTIVE
    assert still_open.status == Status.SUBMITTED
    event = audit_for_application(application_id=ended.pk).get(action="application.expire")
    assert (event.before, event.after) == ({"status": "approved"}, {"status": "expired"})
    # Run again the next morning: nothing more to do.
    assert applications_expire(today=today) == 0


# --- the audit trail -------------------------------------------------------------------------


def test_every_step_is_audited_with_actor_before_and_after() -> None:
    mother = f.mother_with_baby(born=f.days_ago(20))
    reception, nurse, boss = f.clerk(), f.clerk(), f.approver()
    midwife = f.facility_staff("kaneko-josanin")
    application = application_create(actor=reception, mother=mother)
    booking_create(
        facility=midwife.facility,
        mother=mother,
        actor=midwife,
        service="stay",
        start_date=f.days_ago(-3),
        end_date=f.days_ago(-5),
        application=application,
    )
    application_submit(application=application, actor=reception, channel="in_person")
    application_verify_tier(
        application=application, actor=reception, tier="taxable", basis=TierBasis.LEDGER
    )
    application_record_interview(
        application=application,
        actor=nurse,
        conducted_at=timezone.now(),
        method="phone",
        needs_found=["support_needed"],
    )
    decision = application_approve(application=application, actor=boss, grants={"stay": 2})

    events = list(audit_for_application(application_id=application.pk))
    assert [(e.action, e.actor) for e in events] == [
        ("application.create", reception),
        ("booking.create", midwife),
        ("application.submit", reception),
        ("application.verify_tier", reception),
        ("application.interview", nurse),
        ("voucher.issue", boss),
        ("booking.confirm", boss),
        ("application.approve", boss),
    ]
    by_action = {e.action: e for e in events}
    assert by_action["application.submit"].before["status"] == "draft"
    assert by_action["application.submit"].after["status"] == "submitted"
    assert by_action["application.verify_tier"].after == {
        "status": "submitted",
        "tier": "taxable",
        "tier_basis": "ledger",
    }
    assert by_action["application.interview"].after["needs_found"] == ["support_needed"]
    approve = by_action["application.approve"]
    assert approve.before == {"status": "interviewed", "tier": "taxable"}
    assert approve.after["status"] == "approved"
    assert approve.after["grants"] == {"stay": 2}
    assert approve.after["decision"] == decision.number
    assert approve.after["valid_until"] == f.voucher_for(application).valid_until.isoformat()
    assert by_action["booking.confirm"].before == {"status": "provisional"}
    assert all(e.municipality.code == f.SOJA for e in events)
    # The trail names objects by id; no personal data is copied into it.
    trail = json.dumps([[e.before, e.after] for e in events], ensure_ascii=False)
    assert mother.name not in trail and mother.phone not in trail


def test_rejection_is_audited() -> None:
    application = f.application_in(Status.SUBMITTED)
    boss = f.approver()
    decision = application_reject(application=application, actor=boss, reason="要件外")
    event = audit_for_application(application_id=application.pk).get(action="application.reject")
    assert event.actor == boss
    assert event.before["status"] == "submitted"
    assert event.after == {
        "status": "rejected",
        "tier": "",
        "decision": decision.number,
        "prepared_by_decider": False,
    }


def test_a_refused_step_leaves_no_trace() -> None:
    application = f.application_in(Status.INTERVIEWED)
    before = list(audit_for_application(application_id=application.pk).values_list("id", flat=True))
    with pytest.raises(ServiceError):
        application_approve(application=application, actor=f.approver(), grants={"stay": 99})
    after = list(audit_for_application(application_id=application.pk).values_list("id", flat=True))
    assert after == before
