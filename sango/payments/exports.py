"""A batch written out: the 全銀協 transfer file for the bank (``sango.payments.zengin_file``)
and the table for the municipality's accounting system (財務会計), written as CSV by
``sango.reports.files`` (UTF-8 with BOM, or CP932)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils import translation

from sango.banking.directory import bank_named, branch_named
from sango.banking.models import BankAccount
from sango.core.errors import InvalidState, ServiceError
from sango.payments.models import PaymentBatch, PaymentLine, ReturnReason
from sango.payments.zengin_file import Originator, Transfer, transfer_file
from sango.reports.exports import Month, Table

CHUNK_SIZE = 2000


class _Kana:
    """Banks' and branches' kana from the bank-code data, looked up once per code."""

    def __init__(self) -> None:
        self._banks: dict[str, str] = {}
        self._branches: dict[tuple[str, str], str] = {}

    def bank(self, code: str) -> str:
        if code not in self._banks:
            entry = bank_named(code)
            self._banks[code] = entry.kana if entry else ""
        return self._banks[code]

    def branch(self, bank: str, code: str) -> str:
        key = (bank, code)
        if key not in self._branches:
            entry = branch_named(bank, code)
            self._branches[key] = entry.kana if entry else ""
        return self._branches[key]


_ACCOUNT = ("bank_code", "branch_code", "kind", "number", "holder")


def _transfers(batch: PaymentBatch, kana: _Kana) -> Iterator[Transfer]:
    fields = [f"account__{name}" for name in _ACCOUNT]
    rows = batch.lines.order_by("pk").values_list(*fields, "amount", "new_code", "pk")
    for bank, branch, kind, number, holder, amount, new_code, pk in rows.iterator(CHUNK_SIZE):
        yield Transfer(
            bank_code=bank,
            bank_kana=kana.bank(bank),
            branch_code=branch,
            branch_kana=kana.branch(bank, branch),
            kind=kind,
            number=number,
            holder=holder,
            amount=amount,
            new_code=new_code,
            customer_code=str(pk),
        )


def transfer_file_of(batch: PaymentBatch) -> bytes:
    """The batch's 総合振込 file, every line in it (a paid batch's file is the one that was
    sent, returned lines included). Only a locked batch has one: its lines no longer change."""
    if batch.status == PaymentBatch.Status.DRAFT:
        raise InvalidState("全銀ファイルは支払を確定してから作成します。")
    account: BankAccount = batch.originator_account
    kana = _Kana()
    originator = Originator(
        code=batch.originator_code,
        name=batch.originator_name,
        bank_code=account.bank_code,
        bank_kana=kana.bank(account.bank_code),
        branch_code=account.branch_code,
        branch_kana=kana.branch(account.bank_code, account.branch_code),
        kind=account.kind,
        number=account.number,
    )
    body = transfer_file(
        originator=originator, pay_date=batch.pay_date, transfers=_transfers(batch, kana)
    )
    # The trailer's figures against the lock's: a file that disagrees is never handed out.
    trailer = body[-244:-122].decode("ascii")
    if (int(trailer[1:7]), int(trailer[7:19])) != (batch.count, batch.total):
        raise ServiceError("全銀ファイルの合計が確定した内容と一致しません。")
    return body


def transfer_file_name(batch: PaymentBatch) -> str:
    """``zengin_P-000012_2026-05-25.txt``: banks' upload pages take any name, staff find it."""
    return f"zengin_{batch.reference}_{batch.pay_date.isoformat()}.txt"


HEADERS = [
    "支払番号",
    "支払日",
    "明細番号",
    "区分",
    "支払先",
    "対象",
    "金額",
    "金融機関コード",
    "金融機関名",
    "支店コード",
    "支店名",
    "預金種目",
    "口座番号",
    "口座名義",
    "状態",
    "振込不能の理由",
]


def _line_row(batch: PaymentBatch, line: PaymentLine, labels: dict[str, dict[Any, str]]) -> list:
    account = line.account
    if line.claim_id:
        kind, payee = "委託料", line.claim.facility.name
        subject = f"{Month.of(line.claim.month).label()}分"
    else:
        kind, payee = "償還払い", line.reimbursement.voucher.mother.name
        subject = line.reimbursement.reference
    return [
        batch.reference,
        batch.pay_date,
        line.pk,
        kind,
        payee,
        subject,
        line.amount,
        account.bank_code,
        account.bank_name,
        account.branch_code,
        account.branch_name,
        labels["kind"][account.kind],
        account.number,
        account.holder,
        labels["state"][line.state],
        labels["reason"].get(line.returned_reason, ""),
    ]


def batch_table(batch: PaymentBatch) -> Table:
    """One row per line, for the 財務会計 system's import: amounts in yen, dates ISO."""
    with translation.override("ja"):
        labels = {
            "kind": {k: str(v) for k, v in BankAccount.Kind.choices},
            "state": {k: str(v) for k, v in PaymentLine.State.choices},
            "reason": {k: str(v) for k, v in ReturnReason.choices},
        }
    lines = batch.lines.select_related(
        "account", "claim__facility", "reimbursement__voucher__mother"
    ).order_by("pk")
    return Table(
        name=f"payment_{batch.reference}",
        title=f"支払_{batch.reference}",
        headers=HEADERS,
        rows=(_line_row(batch, line, labels) for line in lines.iterator(CHUNK_SIZE)),
        money=("金額",),
    )
