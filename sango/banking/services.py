"""Checking and keeping bank accounts: the codes looked up in the 全銀協 data, the number made
the 7 digits a transfer carries, the holder's name made the half-width kana it carries — and
refused, field by field, where any of these cannot be done."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from sango.accounts.roles import acts_for
from sango.audit.services import audit_record
from sango.banking.directory import bank_named, branch_named
from sango.banking.models import BankAccount
from sango.banking.zengin import ZenginTextError, zengin_text
from sango.core.errors import ServiceError
from sango.facilities.models import Contract

HOLDER_PLACES = 30  # 受取人名 of a 全銀 総合振込 data record: 30 half-width places
_SEPARATORS = re.compile(r"[\s\-‐－ー]")


class BankAccountInvalid(ServiceError):
    """Every field that is wrong, with its message (``errors``: field → message); the first
    one is the error's own message and field, as for any ServiceError."""

    def __init__(self, errors: dict[str, str]) -> None:
        field, message = next(iter(errors.items()))
        super().__init__(message, field=field)
        self.errors = errors


@dataclass(frozen=True)
class AccountDetails:
    """An account as it will be printed in the transfer file, with the names people read."""

    bank_code: str  # 4 digits
    branch_code: str  # 3 digits
    kind: str  # BankAccount.Kind
    number: str  # 7 digits
    holder: str  # 全銀 half-width kana
    bank_name: str
    branch_name: str

    def as_dict(self) -> dict[str, str]:
        return dict(self.__dict__)


def _digits(text: str) -> str:
    """``０００１`` → ``0001``; spaces and hyphens people type between digits dropped."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text or ""))


def _holder(text: str) -> str:
    try:
        holder = zengin_text(text or "")
    except ZenginTextError as error:
        shown = "、".join(f"「{c}」" for c in error.characters)
        raise ValueError(
            f"{shown}は口座名義に使えません。カタカナ（またはひらがな）・英大文字・数字で"
            "通帳のとおりに入力してください。"
        ) from None
    if not holder:
        raise ValueError("口座名義をカタカナで入力してください。")
    if len(holder) > HOLDER_PLACES:
        raise ValueError(f"口座名義が長すぎます（濁点も1文字として{HOLDER_PLACES}文字まで）。")
    return holder


def bank_account_validate(
    *, bank_code: str, branch_code: str, kind: str, number: str, holder: str
) -> AccountDetails:
    """The account normalised, with its bank's and branch's names; ``BankAccountInvalid`` with
    a message per wrong field otherwise. Full-width digits are read; a number of fewer than
    7 digits is left-padded with zeros, as banks do."""
    errors: dict[str, str] = {}
    bank_code, branch_code, number = _digits(bank_code), _digits(branch_code), _digits(number)
    bank = branch = None
    if not re.fullmatch(r"[0-9]{4}", bank_code):
        errors["bank_code"] = "金融機関コードは4けたの数字です（例: 0001）。"
    elif (bank := bank_named(bank_code)) is None:
        errors["bank_code"] = f"金融機関コード {bank_code} の金融機関は見つかりません。"
    if not re.fullmatch(r"[0-9]{3}", branch_code):
        errors["branch_code"] = "支店コード（店番）は3けたの数字です（例: 001）。"
    elif bank is not None and (branch := branch_named(bank_code, branch_code)) is None:
        errors["branch_code"] = f"{bank.name}に支店コード {branch_code} の支店は見つかりません。"
    if kind not in BankAccount.Kind.values:
        errors["kind"] = "預金の種類を選んでください。"
    if not re.fullmatch(r"[0-9]{1,7}", number):
        errors["number"] = "口座番号は7けたまでの数字です。"
    try:
        holder = _holder(holder)
    except ValueError as error:
        errors["holder"] = str(error)
    if errors:
        raise BankAccountInvalid(errors)
    return AccountDetails(
        bank_code=bank_code,
        branch_code=branch_code,
        kind=kind,
        number=number.zfill(7),
        holder=holder,
        bank_name=bank.name,
        branch_name=branch.name,
    )


def _owner(mother: Any, facility: Any, municipality: Any) -> dict[str, Any]:
    owners = {"mother": mother, "facility": facility, "municipality": municipality}
    given = {key: value for key, value in owners.items() if value is not None}
    if len(given) != 1:
        raise ServiceError("口座の持ち主を一つ指定してください。")
    return given


def _municipality_of(owner: dict[str, Any]) -> int | None:
    if "mother" in owner:
        return owner["mother"].municipality_id
    if "municipality" in owner:
        return owner["municipality"].pk
    return None


def _may_enter(actor: Any, owner: dict[str, Any]) -> bool:
    """Her own account (or her municipality's staff for her); a facility's own staff or the
    staff of a municipality it has a contract with; the municipality's own staff."""
    if "facility" in owner:
        facility = owner["facility"]
        return acts_for(actor, facility_id=facility.pk) or _contracted(actor, facility)
    return acts_for(actor, municipality_id=_municipality_of(owner), mother=owner.get("mother"))


def _contracted(actor: Any, facility: Any) -> bool:
    return bool(
        actor.is_municipal_staff
        and Contract.objects.filter(facility=facility, municipality_id=actor.municipality_id)
        .order_by()
        .exists()
    )


@transaction.atomic
def bank_account_register(
    *,
    actor: Any,
    details: AccountDetails,
    mother: Any = None,
    facility: Any = None,
    municipality: Any = None,
) -> BankAccount:
    """The owner's account from now on. The same account already on file is returned as it
    is (confirmed or not); another one retires the one before it, which stays for the claims
    and payments that point at it."""
    owner = _owner(mother, facility, municipality)
    if not _may_enter(actor, owner):
        raise ServiceError("この口座を登録する権限がありません。", code="forbidden")
    current = BankAccount.objects.select_for_update().filter(retired_at__isnull=True, **owner)
    fields = {k: v for k, v in details.as_dict().items() if k not in ("bank_name", "branch_name")}
    same = current.filter(**fields).first()
    if same is not None:
        return same
    retired = list(current.values_list("pk", flat=True))
    current.update(retired_at=timezone.now())
    account = BankAccount.objects.create(**owner, **details.as_dict(), created_by=actor)
    audit_record(
        actor=actor,
        action="bank_account.register",
        target=account,
        municipality_id=_municipality_of(owner),
        # Codes and states only: the number and the holder's name are personal data.
        after={"bank_code": account.bank_code, "branch_code": account.branch_code},
        before={"retired": retired} if retired else None,
    )
    return account


@transaction.atomic
def bank_account_confirm(*, account: BankAccount, actor: Any) -> BankAccount:
    """Staff have checked the account against the passbook or the bank's answer; money may
    go to it. Only municipal staff (of her municipality, or of one the facility works for)."""
    account = BankAccount.objects.select_for_update().get(pk=account.pk)
    owner = {
        key: getattr(account, key)
        for key in ("mother", "facility", "municipality")
        if getattr(account, f"{key}_id") is not None
    }
    staff = actor.is_superuser or actor.role == actor.Role.ADMIN or actor.is_municipal_staff
    if not (staff and _may_enter(actor, owner)):
        raise ServiceError("口座の確認は市町村の職員が行います。", code="forbidden")
    if account.retired_at is not None:
        raise ServiceError("この口座は変更されています。新しい口座を確認してください。")
    if account.confirmed_at is None:
        account.confirmed_by, account.confirmed_at = actor, timezone.now()
        account.save(update_fields=["confirmed_by", "confirmed_at"])
        audit_record(
            actor=actor,
            action="bank_account.confirm",
            target=account,
            municipality_id=_municipality_of(owner),
            after={"confirmed": True},
        )
    return account
