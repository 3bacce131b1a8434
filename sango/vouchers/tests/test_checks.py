"""利用券の確認 at a facility: only a facility contracted with the voucher's municipality sees it,
every failure looks the same, failures are limited per account and per voucher (a birth date
cannot be guessed), and the municipality hears of repeated failures without personal data."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest
from django.utils import timezone

from sango.applications.models import TierBasis
from sango.applications.services import (
    application_approve,
    application_record_interview,
    application_verify_tier,
)
from sango.audit.models import AuditEvent
from sango.core.errors import ServiceError
from sango.core.tests import factories as f
from sango.facilities.models import Contract
from sango.usage.services import use_record
from sango.vouchers.checks import (
    ACCOUNT_LIMIT,
    NOT_CONFIRMED,
    VOUCHER_LIMIT,
    ChecksBlocked,
    check_block_minutes,
    checked_voucher,
    offered_services,
    voucher_check_at_facility,
    voucher_checked,
)
from sango.vouchers.models import CheckFailure, Voucher
from sango.vouchers.services import usage_card_issue, voucher_qr_payload

pytestmark = pytest.mark.django_db

BIRTH_DATE = date(1994, 5, 20)  # the mother's own birth date (MotherFactory)
WRONG_DATE = date(1994, 5, 21)


@pytest.fixture(autouse=True)
def _programmes(db) -> None:
    f.load_programmes()


@pytest.fixture
def kaneko():
    return f.facility_staff("kaneko-josanin")


def soja_voucher(*, note: str = "", assessment: str = "") -> Voucher:
    """A 総社市 voucher whose interview left a note for the facility and an assessment."""
    mother = f.mother_with_baby(born=f.days_ago(30))
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
        assessment=assessment,
        facility_note=note,
    )
    application_approve(
        application=application,
        actor=f.approver(),
        grants={"stay": 3, "day": 2},
        valid_from=mother.delivery_date,
    )
    return f.voucher_for(application)


def kumamoto_card() -> Voucher:
    mother = f.mother_with_baby(code=f.KUMAMOTO, born=f.days_ago(20))
    return usage_card_issue(mother=mother, actor=f.clerk(f.KUMAMOTO), tier="taxable")


def check(actor, voucher: Voucher | None = None, *, number: str = "", born=BIRTH_DATE):
    return voucher_check_at_facility(
        actor=actor, number=number or voucher.number, mother_birth_date=born
    )


def fail(actor, voucher: Voucher, times: int = 1) -> None:
    for _ in range(times):
        with pytest.raises(ServiceError) as refused:
            check(actor, voucher, born=WRONG_DATE)
        assert refused.value.code == "not_found"


def test_a_contracted_facility_checks_by_number_and_birth_date(kaneko):
    voucher = soja_voucher()
    found = check(kaneko, voucher, number=voucher.number.replace("-", ""))
    assert found == voucher
    assert not CheckFailure.objects.exists()


def test_a_contracted_facility_checks_by_the_qr_code(kaneko):
    voucher = soja_voucher()
    found = voucher_check_at_facility(actor=kaneko, qr=voucher_qr_payload(voucher))
    assert found == voucher


def test_every_failure_says_the_same_and_is_recorded(kaneko):
    voucher = soja_voucher()
    digits = "".join(ch for ch in voucher.number if ch.isdigit())
    # A different, well-formed number that belongs to nobody: a body digit changed and the
    # check digit recomputed.
    from sango.vouchers.services import _luhn_digit

    body = digits[:-2] + str((int(digits[-2]) + 1) % 10)
    nobody = body + _luhn_digit(body)
    messages = []
    for attempt in (
        lambda: check(kaneko, voucher, born=WRONG_DATE),
        lambda: check(kaneko, number=nobody),
        lambda: voucher_check_at_facility(actor=kaneko, qr="not-a-signed-payload"),
        lambda: check(f.facility_staff("kunitomi-clinic"), kumamoto_card()),
    ):
        with pytest.raises(ServiceError) as refused:
            attempt()
        messages.append((refused.value.code, refused.value.message))
    assert set(messages) == {("not_found", NOT_CONFIRMED)}
    reasons = list(CheckFailure.objects.values_list("reason", "voucher_id"))
    assert reasons[0] == ("wrong_birth_date", voucher.pk)
    assert reasons[1:3] == [("unknown_number", None), ("bad_qr", None)]
    assert reasons[3][0] == "not_contracted"


def test_a_mistyped_number_is_caught_before_any_look_up_and_is_no_failure(kaneko):
    voucher = soja_voucher()
    typo = voucher.number[:-1] + str((int(voucher.number[-1]) + 1) % 10)
    with pytest.raises(ServiceError) as refused:
        check(kaneko, voucher, number=typo)
    assert (refused.value.code, refused.value.field) == ("bad_number", "number")
    assert not CheckFailure.objects.exists()


def test_the_sixth_check_after_five_failures_is_blocked_even_when_right(kaneko):
    voucher = soja_voucher()
    fail(kaneko, voucher, ACCOUNT_LIMIT)
    with pytest.raises(ChecksBlocked) as blocked:
        check(kaneko, voucher)
    assert blocked.value.minutes == 15
    assert "確認の失敗が続いたため、しばらく確認できません。15分後に" in blocked.value.message
    with pytest.raises(ChecksBlocked):  # the QR code too: the account is blocked
        voucher_check_at_facility(actor=kaneko, qr=voucher_qr_payload(voucher))
    # A blocked attempt is not a failure: the block ends when the window passes.
    assert CheckFailure.objects.count() == ACCOUNT_LIMIT
    event = AuditEvent.objects.get(action="voucher.check_blocked")
    assert event.municipality.code == f.SOJA
    assert (event.target_type, event.target_id, event.actor) == (
        "vouchers.voucher",
        voucher.pk,
        kaneko,
    )
    assert event.after == {"failures": 5, "window_minutes": 15, "facility_id": kaneko.facility_id}
    assert event.application_id == voucher.application_id
    later = timezone.now() + timedelta(minutes=15, seconds=1)
    with f.frozen_now(later):
        assert check_block_minutes(actor=kaneko) is None
        other = soja_voucher()
        assert check(kaneko, other) == other


def test_the_block_is_per_account(kaneko):
    fail(kaneko, soja_voucher(), ACCOUNT_LIMIT)
    colleague = f.facility_staff("kunitomi-clinic")
    voucher = soja_voucher()
    assert check(colleague, voucher) == voucher


def test_five_wrong_dates_for_one_voucher_from_anyone_lock_its_number_for_an_hour(kaneko):
    voucher = soja_voucher()
    slugs = ["kunitomi-clinic", "tanbobo-josanin", "hanada-josanin", "sun-clinic", "kaneko-josanin"]
    for slug in slugs[:VOUCHER_LIMIT]:
        fail(f.facility_staff(slug), voucher)
    # Right date, fresh account: refused like a wrong date, so the refusal tells nothing.
    with pytest.raises(ServiceError) as refused:
        check(kaneko, voucher)
    assert (refused.value.code, refused.value.message) == ("not_found", NOT_CONFIRMED)
    assert CheckFailure.objects.filter(user=kaneko).last().reason == "voucher_locked"
    # The paper's QR code is no guess: it still works.
    assert voucher_check_at_facility(actor=kaneko, qr=voucher_qr_payload(voucher)) == voucher
    event = AuditEvent.objects.get(action="voucher.check_locked")
    assert event.municipality.code == f.SOJA and event.after["window_minutes"] == 60
    with f.frozen_now(timezone.now() + timedelta(hours=1, seconds=1)):
        assert check(f.facility_staff("kunitomi-clinic"), voucher) == voucher


def test_the_log_names_the_account_and_nothing_the_facility_typed(kaneko, caplog):
    voucher = soja_voucher()
    with caplog.at_level(logging.INFO, logger="sango.vouchers.checks"):
        fail(kaneko, voucher, ACCOUNT_LIMIT)
        with pytest.raises(ChecksBlocked):
            check(kaneko, voucher)
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert f"account={kaneko.pk}" in text and "blocked" in text
    digits = "".join(ch for ch in voucher.number if ch.isdigit())
    assert voucher.number not in text and digits[6:10] not in text
    assert "1994" not in text and "05-21" not in text


def test_what_the_facility_is_shown(kaneko):
    voucher = soja_voucher(note="授乳姿勢の確認をお願いします。", assessment="夫の育児参加が少ない")
    use_record(
        voucher_id=voucher.pk,
        facility=kaneko.facility,
        actor=kaneko,
        idempotency_key="k1",
        service="stay",
        day=f.days_ago(1),
        quantity=1,
        fee=30000,
    )
    shown = checked_voucher(voucher=voucher, slug="kaneko-josanin", day=timezone.localdate())
    assert shown.facility_note == "授乳姿勢の確認をお願いします。"
    assert "夫の育児参加" not in repr(shown.__dict__ | {"voucher": None})
    stay = next(cap for cap in shown.remaining if cap["name"] == "短期入所（ショートステイ）型")
    assert (stay["limit"], stay["used"], stay["remaining"]) == (3, 1, 2)
    assert [s.name for s in shown.services] == [
        "短期入所（ショートステイ）型",
        "通所（デイサービス）型",
        "居宅訪問（アウトリーチ）型",
    ]
    assert not any(s.fee_known for s in shown.services)  # the list prints no fees
    assert any("こども課" in notice for notice in shown.notices)
    assert shown.infants == 1 and shown.recordable


def test_kumamoto_services_group_the_sub_types_with_the_contracts_fees():
    from sango.programs.rules_for import rules_on

    rules = rules_on(f.KUMAMOTO, timezone.localdate())
    offered = offered_services(
        municipality_code=f.KUMAMOTO, rules=rules, slug="sample-kumamoto-chuo-clinic"
    )
    assert [(s.code, s.name) for s in offered] == [("stay", "宿泊型"), ("day", "日帰り型")]
    assert offered[1].fees == (
        ("日帰り型 1日型", 18000),
        ("日帰り型 3時間型", 12000),
        ("日帰り型 2時間型", 8000),
    )


def test_a_checked_voucher_is_forgotten_when_the_contract_is_no_longer_listed(kaneko):
    voucher = soja_voucher()
    assert voucher_checked(actor=kaneko, voucher_id=voucher.pk) == voucher
    Contract.objects.filter(facility=kaneko.facility).update(listed=False)
    assert voucher_checked(actor=kaneko, voucher_id=voucher.pk) is None
    assert voucher_checked(actor=kaneko, voucher_id=None) is None
