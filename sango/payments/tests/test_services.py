"""Payment batches: gathered from what is owed, locked by an approver, paid, a returned transfer
paid again by a later batch — and every step in the audit trail, without an account or a name."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from sango.audit.models import AuditEvent
from sango.core.errors import InvalidState, ServiceError
from sango.core.tests import factories as f
from sango.payments.models import PaymentBatch, PaymentLine, ReturnReason
from sango.payments.selectors import NO_ACCOUNT, RETURNED, UNCONFIRMED, owed, paid_day
from sango.payments.services import (
    batch_build,
    batch_lock,
    batch_mark_paid,
    batch_regather,
    line_mark_returned,
    originator_fields,
)
from sango.payments.tests import factories as pf
from sango.reimbursements.models import Reimbursement


@pytest.fixture(autouse=True)
def _programmes(db) -> None:
    f.load_programmes()


@pytest.fixture
def clerk():
    return f.clerk()


@pytest.fixture
def boss():
    return f.approver()


@pytest.fixture
def owed_items(clerk, boss):
    """A claim of 金子助産院 (48,000円) and a reimbursement (21,000円), both payable."""
    pf.account(actor=clerk, facility=f.facility("kaneko-josanin"))
    return pf.approved_claim(), pf.approved_reimbursement(clerk=clerk, boss=boss)


def today():
    return timezone.localdate()


def test_a_batch_gathers_the_approved_unpaid_claims_and_reimbursements(clerk, boss, owed_items):
    claim, reimbursement = owed_items
    batch = batch_build(actor=clerk, pay_date=today())
    assert (batch.status, batch.count, batch.total) == (PaymentBatch.Status.DRAFT, 2, 69000)
    lines = list(batch.lines.order_by("pk"))
    assert [(line.claim, line.reimbursement, line.amount) for line in lines] == [
        (claim, None, 48000),
        (None, reimbursement, 21000),
    ]
    assert lines[1].account == reimbursement.bank_account
    assert {line.new_code for line in lines} == {"1"}  # first transfer to each


def test_unconfirmed_or_missing_accounts_are_held_with_the_reason(clerk, boss):
    pf.account(actor=clerk, facility=f.facility("kaneko-josanin"), confirmed=False)
    pf.approved_claim()
    pf.approved_claim(slug="hanada-josanin")
    held = {row.claim.facility.slug: row.held for row in owed(clerk.municipality_id)}
    assert held == {"kaneko-josanin": UNCONFIRMED, "hanada-josanin": NO_ACCOUNT}
    with pytest.raises(ServiceError) as error:
        batch_build(actor=clerk, pay_date=today())
    assert error.value.message == (
        "支払えるものがありません。口座の登録・確認を待っているものが2件あります。"
    )
    assert not PaymentBatch.objects.exists()


def test_an_empty_batch_is_refused(clerk):
    with pytest.raises(ServiceError, match="支払うものがありません") as error:
        batch_build(actor=clerk, pay_date=today())
    assert error.value.field == "pay_date"


def test_a_past_day_or_a_second_batch_for_a_day_is_refused(clerk, owed_items):
    with pytest.raises(ServiceError, match="支払日が過ぎています"):
        batch_build(actor=clerk, pay_date=today() - timedelta(days=1))
    batch_build(actor=clerk, pay_date=today())
    with pytest.raises(ServiceError, match="すでに作成されています"):
        batch_build(actor=clerk, pay_date=today())


def test_what_one_batch_holds_another_does_not_gather(clerk, owed_items):
    batch_build(actor=clerk, pay_date=today())
    with pytest.raises(ServiceError, match="支払うものがありません"):
        batch_build(actor=clerk, pay_date=today() + timedelta(days=7))


def test_only_an_approver_locks_with_the_figures_reviewed_and_once(clerk, boss, owed_items):
    pf.originator(actor=clerk)
    batch = batch_build(actor=clerk, pay_date=today())
    with pytest.raises(ServiceError, match="決裁者"):
        batch_lock(actor=clerk, batch=batch, count=2, total=69000)
    with pytest.raises(ServiceError, match="内容が変わりました"):
        batch_lock(actor=boss, batch=batch, count=2, total=68000)
    locked = batch_lock(actor=boss, batch=batch, count=2, total=69000)
    assert (locked.status, locked.locked_by, locked.originator_code) == (
        PaymentBatch.Status.LOCKED,
        boss,
        "1234567890",
    )
    with pytest.raises(InvalidState, match="すでに確定"):
        batch_lock(actor=boss, batch=batch, count=2, total=69000)
    with pytest.raises(InvalidState, match="確定した支払は変更できません"):
        batch_regather(actor=clerk, batch=batch)


def test_the_approver_who_built_the_batch_does_not_lock_it(clerk, boss, owed_items, settings):
    pf.originator(actor=clerk)
    batch = batch_build(actor=boss, pay_date=today())
    with pytest.raises(ServiceError, match="支払を作成した職員は"):
        batch_lock(actor=boss, batch=batch, count=2, total=69000)
    settings.SANGO_SEPARATE_DUTIES = False  # a very small office
    batch_lock(actor=boss, batch=batch, count=2, total=69000)
    event = AuditEvent.objects.get(action="payment_batch.lock")
    assert event.after["prepared_by_decider"] is True


def test_the_lock_needs_the_originator(clerk, boss, owed_items):
    batch = batch_build(actor=clerk, pay_date=today())
    with pytest.raises(ServiceError, match="振込元"):
        batch_lock(actor=boss, batch=batch, count=2, total=69000)


def test_the_database_refuses_a_change_to_a_locked_batch(clerk, boss, owed_items):
    pf.originator(actor=clerk)
    batch = batch_build(actor=clerk, pay_date=today())
    batch_lock(actor=boss, batch=batch, count=2, total=69000)
    line = batch.lines.first()
    unpaid = pf.approved_claim(slug="hanada-josanin")  # no line yet: only the lock stops it
    for change in (
        lambda: PaymentLine.objects.filter(pk=line.pk).update(amount=1),
        lambda: PaymentLine.objects.create(
            batch=batch, claim=unpaid, account=line.account, amount=1, new_code="0"
        ),
        lambda: PaymentBatch.objects.filter(pk=batch.pk).update(total=1),
        lambda: PaymentBatch.objects.filter(pk=batch.pk).update(status="draft"),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            change()
    assert PaymentLine.objects.get(pk=line.pk).amount == line.amount


def test_an_account_changed_after_the_gathering_stops_the_lock_until_regathered(
    clerk, boss, owed_items
):
    pf.originator(actor=clerk)
    batch = batch_build(actor=clerk, pay_date=today())
    pf.account(actor=clerk, facility=f.facility("kaneko-josanin"), number="1111111")
    with pytest.raises(ServiceError, match="集め直す"):
        batch_lock(actor=boss, batch=batch, count=2, total=69000)
    batch = batch_regather(actor=clerk, batch=batch)
    assert batch.lines.get(claim__isnull=False).account.number == "1111111"
    batch_lock(actor=boss, batch=batch, count=2, total=69000)


def test_paid_then_returned_then_paid_again_by_a_later_batch(clerk, boss, owed_items):
    _claim, reimbursement = owed_items
    pf.originator(actor=clerk)
    batch = batch_build(actor=clerk, pay_date=today())
    with pytest.raises(InvalidState, match="確定していない"):
        batch_mark_paid(actor=clerk, batch=batch)
    batch_lock(actor=boss, batch=batch, count=2, total=69000)
    paid = batch_mark_paid(actor=clerk, batch=batch)
    assert paid.status == PaymentBatch.Status.PAID
    assert set(batch.lines.values_list("state", flat=True)) == {PaymentLine.State.PAID}
    annotated = Reimbursement.objects.annotate(paid_on=paid_day("reimbursement"))
    assert annotated.get(pk=reimbursement.pk).paid_on == today()
    with pytest.raises(InvalidState, match="すでに支払済み"):
        batch_mark_paid(actor=clerk, batch=batch)
    with pytest.raises(ServiceError, match="支払うものがありません"):
        batch_build(actor=clerk, pay_date=today() + timedelta(days=1))

    line = batch.lines.get(reimbursement=reimbursement)
    line_mark_returned(actor=clerk, line=line, reason=ReturnReason.NAME_MISMATCH)
    with pytest.raises(InvalidState):
        line_mark_returned(actor=clerk, line=line, reason=ReturnReason.NAME_MISMATCH)
    assert annotated.get(pk=reimbursement.pk).paid_on is None
    # Her corrected account, entered and confirmed: the next batch pays her there.
    mother = reimbursement.voucher.mother
    corrected = pf.account(actor=clerk, mother=mother, holder="ソウジヤ ハナコ", number="7654322")
    later = batch_build(actor=clerk, pay_date=today() + timedelta(days=1))
    again = later.lines.get()
    assert (again.reimbursement, again.account, again.amount) == (reimbursement, corrected, 21000)
    assert again.new_code == "2"  # paid before, to another account

    actions = list(
        AuditEvent.objects.filter(action__startswith="payment").values_list("action", "after")
    )
    assert [action for action, _after in actions] == [
        "payment_originator.save",
        "payment_batch.build",
        "payment_batch.lock",
        "payment_batch.paid",
        "payment_line.returned",
        "payment_batch.build",
    ]
    assert actions[4][1] == {"state": "returned", "amount": 21000, "reason": 2}
    trail = str(actions)
    for secret in ("1234567", "7654321", "ｿｳｼﾞﾔ", "ソウジャ", mother.name, "0012345"):
        assert secret not in trail


@pytest.mark.parametrize(
    ("reason", "held"),
    [
        (ReturnReason.CLOSED, RETURNED),
        (ReturnReason.NO_ACCOUNT, RETURNED),
        (ReturnReason.OTHER, ""),
    ],
)
def test_a_wrong_account_is_not_paid_again_but_another_return_is(
    clerk, boss, owed_items, reason, held
):
    claim, _reimbursement = owed_items
    pf.originator(actor=clerk)
    batch = batch_build(actor=clerk, pay_date=today())
    batch_lock(actor=boss, batch=batch, count=2, total=69000)
    batch_mark_paid(actor=clerk, batch=batch)
    line = batch.lines.get(claim=claim)
    line_mark_returned(actor=clerk, line=line, reason=reason)
    row = next(row for row in owed(clerk.municipality_id) if row.claim == claim)
    assert (row.account, row.held) == (line.account, held)


def test_the_mark_paid_waits_for_the_pay_date(clerk, boss, owed_items):
    pf.originator(actor=clerk)
    batch = batch_build(actor=clerk, pay_date=today() + timedelta(days=3))
    batch_lock(actor=boss, batch=batch, count=2, total=69000)
    with pytest.raises(ServiceError, match="支払日より前"):
        batch_mark_paid(actor=clerk, batch=batch)


def test_staff_of_another_municipality_and_other_accounts_cannot_act(clerk, boss, owed_items):
    pf.originator(actor=clerk)
    batch = batch_build(actor=clerk, pay_date=today())
    kumamoto = f.approver(f.KUMAMOTO)
    with pytest.raises(ServiceError):
        batch_lock(actor=kumamoto, batch=batch, count=2, total=69000)
    with pytest.raises(ServiceError):
        batch_regather(actor=f.facility_staff("kaneko-josanin"), batch=batch)


@pytest.mark.parametrize(
    ("code", "name", "field", "message"),
    [
        ("12345", "ソウジヤシ", "code", "10けた"),
        ("１２３４５６７８９０", "総社市", "name", "「総」、「社」、「市」"),
        ("1234567890", "", "name", "カタカナ"),
    ],
)
def test_the_originator_fields_are_checked(code, name, field, message):
    with pytest.raises(ServiceError) as error:
        originator_fields(code=code, name=name)
    assert error.value.field == field
    assert message in error.value.message


def test_full_width_originator_code_is_read():
    assert originator_fields(code="１２３４５６７８９０", name="そうじゃし") == (
        "1234567890",
        "ｿｳｼﾞﾔｼ",
    )
