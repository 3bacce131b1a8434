"""Paying on a date: a batch built from what is owed, locked by an approver, marked paid once the
bank has made the transfers; a transfer the bank returns marked so that a later batch pays it
again. Every step is audited with figures and states only (never an account or a name)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from sango.accounts.duties import prepared_by_decider
from sango.accounts.roles import require_acts_for, require_approver
from sango.audit.services import audit_record
from sango.banking.services import AccountDetails, bank_account_confirm, bank_account_register
from sango.banking.zengin import ZenginTextError, zengin_text
from sango.core.errors import InvalidState, ServiceError
from sango.payments import selectors
from sango.payments.models import Originator, PaymentBatch, PaymentLine, ReturnReason

ORIGINATOR_NAME_PLACES = 40  # 委託者名 of the header record

Status = PaymentBatch.Status


def _require_staff(actor: Any, municipality_id: int) -> None:
    if not actor.is_municipal_staff:
        raise ServiceError("支払は市町村の職員が扱います。", code="forbidden")
    require_acts_for(actor, "この市町村の支払ではありません。", municipality_id=municipality_id)


def _figures(batch: PaymentBatch) -> dict[str, Any]:
    return {"status": batch.status, "count": batch.count, "total": batch.total}


def _fill(batch: PaymentBatch) -> int:
    """Put every payable row in the batch as a line; the number of rows held back (no
    account, or one not confirmed)."""
    rows = selectors.owed(batch.municipality_id)
    payable = [row for row in rows if not row.held]
    codes = selectors.new_codes(payable)
    lines = [
        PaymentLine(
            batch=batch,
            claim=row.claim,
            reimbursement=row.reimbursement,
            account=row.account,
            amount=row.amount,
            new_code=codes[row.account.pk],
        )
        for row in payable
    ]
    try:
        with transaction.atomic():
            PaymentLine.objects.bulk_create(lines)
    except IntegrityError:  # another batch took a row between the gathering and now
        raise ServiceError("ほかの支払と同時に作成されました。もう一度お試しください。") from None
    batch.count, batch.total = len(lines), sum(line.amount for line in lines)
    return len(rows) - len(payable)


def _gather(batch: PaymentBatch) -> int:
    """Fill ``batch`` with what is owed now and save its count and total; refused when nothing
    can be paid (the caller's transaction then saves nothing). Returns how many payments are
    held back until their account is registered or confirmed."""
    held = _fill(batch)
    if not batch.count:
        message = "支払うものがありません（承認済みで未払いの請求・償還払いがありません）。"
        if held:
            message = (
                f"支払えるものがありません。口座の登録・確認を待っているものが{held}件あります。"
            )
        raise ServiceError(message, code="empty", field="pay_date")
    batch.save(update_fields=["count", "total"])
    return held


@transaction.atomic
def batch_build(*, actor: Any, pay_date: date) -> PaymentBatch:
    """A batch (作成中) for ``pay_date`` of the actor's municipality with every approved,
    unpaid claim and reimbursement whose account is confirmed. Refused for a past day, a day
    that has a batch already, or when nothing can be paid (nothing is saved then)."""
    municipality_id = actor.municipality_id
    _require_staff(actor, municipality_id)
    if pay_date < timezone.localdate():
        raise ServiceError(
            "支払日が過ぎています。今日以降の日を入力してください。", field="pay_date"
        )
    taken = ServiceError("この支払日の支払はすでに作成されています。", field="pay_date")
    if PaymentBatch.objects.filter(municipality_id=municipality_id, pay_date=pay_date).exists():
        raise taken
    try:
        with transaction.atomic():  # the unique index decides between two at the same moment
            batch = PaymentBatch.objects.create(
                municipality_id=municipality_id, pay_date=pay_date, created_by=actor
            )
    except IntegrityError:
        raise taken from None
    held = _gather(batch)
    audit_record(
        actor=actor,
        action="payment_batch.build",
        target=batch,
        after={**_figures(batch), "held": held},
    )
    return batch


def _locked_for_change(batch: PaymentBatch) -> PaymentBatch:
    batch = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != Status.DRAFT:
        raise InvalidState("確定した支払は変更できません。")
    return batch


@transaction.atomic
def batch_regather(*, actor: Any, batch: PaymentBatch) -> PaymentBatch:
    """集め直す: a batch still 作成中 takes what is owed now (claims approved and accounts
    confirmed since it was built; an account changed since is no longer used)."""
    batch = _locked_for_change(batch)
    _require_staff(actor, batch.municipality_id)
    before = _figures(batch)
    batch.lines.all().delete()
    held = _gather(batch)
    audit_record(
        actor=actor,
        action="payment_batch.regather",
        target=batch,
        before=before,
        after={**_figures(batch), "held": held},
    )
    return batch


def _stale_accounts(batch: PaymentBatch) -> bool:
    """A line whose account was changed (retired) or never confirmed since the gathering."""
    stale = Q(account__retired_at__isnull=False) | Q(account__confirmed_at__isnull=True)
    return batch.lines.filter(stale).exists()


@transaction.atomic
def batch_lock(*, actor: Any, batch: PaymentBatch, count: int, total: int) -> PaymentBatch:
    """確定: the approver locks the batch as reviewed — ``count`` and ``total`` (yen) are the
    figures the approver saw, and the lock is refused if the batch no longer has them; not the
    one who built it (``sango.accounts.duties``). The
    municipality's originator is copied in; from now on the transfer file may be written and
    nothing in the batch changes."""
    batch = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    require_approver(actor, batch.municipality_id, "支払の確定は決裁者が行います。")
    if batch.status != Status.DRAFT:
        raise InvalidState("この支払はすでに確定しています。")
    if (batch.count, batch.total) != (count, total):
        raise ServiceError("確認した後に内容が変わりました。もう一度確かめてから確定してください。")
    if batch.pay_date < timezone.localdate():
        raise ServiceError("支払日が過ぎています。支払日を変えて作り直してください。")
    if _stale_accounts(batch):
        raise ServiceError("口座が変更された支払先があります。「集め直す」を押してください。")
    originator = selectors.originator_of(batch.municipality_id)
    if originator is None or originator.account.retired_at is not None:
        raise ServiceError("振込元（市の口座と委託者コード）を先に登録してください。")
    prepared = prepared_by_decider(
        actor, [batch.created_by_id], "支払を作成した職員は、同じ支払を確定できません。"
    )
    before = _figures(batch)
    batch.originator_code, batch.originator_name = originator.code, originator.name
    batch.originator_account = originator.account
    batch.status, batch.locked_by, batch.locked_at = Status.LOCKED, actor, timezone.now()
    batch.save()
    audit_record(
        actor=actor,
        action="payment_batch.lock",
        target=batch,
        before=before,
        after={**_figures(batch), "prepared_by_decider": prepared},
    )
    return batch


@transaction.atomic
def batch_mark_paid(*, actor: Any, batch: PaymentBatch) -> PaymentBatch:
    """支払済み: the bank made the transfers of a locked batch (on or after its 支払日). Any
    member of staff records it, as any records a returned transfer: it is what the bank
    reported, not a decision. Each claim and reimbursement in it shows 支払済み with the day
    from now on."""
    batch = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    _require_staff(actor, batch.municipality_id)
    if batch.status != Status.LOCKED:
        message = "確定していない支払は支払済みにできません。"
        if batch.status == Status.PAID:
            message = "この支払はすでに支払済みです。"
        raise InvalidState(message)
    if timezone.localdate() < batch.pay_date:
        raise ServiceError("支払日より前には支払済みにできません。")
    before = _figures(batch)
    batch.lines.update(state=PaymentLine.State.PAID)
    batch.status, batch.paid_by, batch.paid_at = Status.PAID, actor, timezone.now()
    batch.save(update_fields=["status", "paid_by", "paid_at"])
    audit_record(
        actor=actor, action="payment_batch.paid", target=batch, before=before, after=_figures(batch)
    )
    return batch


@transaction.atomic
def line_mark_returned(*, actor: Any, line: PaymentLine, reason: int) -> PaymentLine:
    """振込不能: the bank returned this transfer. The claim or reimbursement is owed again;
    the next batch gathers it (to the payee's account as it is by then)."""
    line = PaymentLine.objects.select_for_update().select_related("batch").get(pk=line.pk)
    _require_staff(actor, line.batch.municipality_id)
    if line.state != PaymentLine.State.PAID:
        raise InvalidState("支払済みの明細だけを振込不能にできます。")
    if reason not in ReturnReason.values:
        raise ServiceError("振込不能の理由を選んでください。", field="reason")
    line.state, line.returned_reason = PaymentLine.State.RETURNED, reason
    line.returned_by, line.returned_at = actor, timezone.now()
    line.save(update_fields=["state", "returned_reason", "returned_by", "returned_at"])
    audit_record(
        actor=actor,
        action="payment_line.returned",
        target=line,
        municipality_id=line.batch.municipality_id,
        before={"state": PaymentLine.State.PAID, "batch": line.batch_id},
        after={"state": line.state, "amount": line.amount, "reason": reason},
    )
    return line


# --- the originator -----------------------------------------------------------------------------


def originator_fields(*, code: str, name: str) -> tuple[str, str]:
    """委託者コード (10 digits, full-width read) and 委託者名 (half-width kana, 40 places),
    or ``ServiceError`` on the field."""
    code = unicodedata.normalize("NFKC", code or "").strip()
    if not re.fullmatch(r"[0-9]{10}", code):
        raise ServiceError("委託者コードは銀行から通知された10けたの数字です。", field="code")
    try:
        name = zengin_text(name or "")
    except ZenginTextError as error:
        shown = "、".join(f"「{c}」" for c in error.characters)
        raise ServiceError(
            f"{shown}は委託者名に使えません。カタカナで入力してください。", field="name"
        ) from None
    if not name or len(name) > ORIGINATOR_NAME_PLACES:
        raise ServiceError(
            f"委託者名をカタカナで入力してください（{ORIGINATOR_NAME_PLACES}文字まで）。",
            field="name",
        )
    return code, name


@transaction.atomic
def originator_save(*, actor: Any, details: AccountDetails, code: str, name: str) -> Originator:
    """The actor's municipality as 振込依頼人 from now on: its account (kept as a confirmed
    municipality-owned account), its 委託者コード and 委託者名. Locked batches keep the
    originator they were locked with."""
    _require_staff(actor, actor.municipality_id)
    code, name = originator_fields(code=code, name=name)
    municipality = actor.municipality
    account = bank_account_register(actor=actor, details=details, municipality=municipality)
    account = bank_account_confirm(account=account, actor=actor)
    originator, created = Originator.objects.update_or_create(
        municipality=municipality,
        defaults={"code": code, "name": name, "account": account, "updated_by": actor},
    )
    audit_record(
        actor=actor,
        action="payment_originator.save",
        target=originator,
        municipality_id=municipality.pk,
        after={"created": created, "bank_code": account.bank_code},
    )
    return originator
