"""Issuing vouchers and usage cards, and verifying one at a facility.

A number is 13 digits after the municipality code, the last a Luhn check digit so that a
mistyped number is caught before any look-up; the rest is random, so numbers cannot be
guessed in sequence. A facility needs the number *and* the mother's birth date (or the signed
QR payload printed on the voucher) to see anything.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from sango.accounts.roles import require_acts_for
from sango.applications.models import Application
from sango.audit.services import audit_record
from sango.core.errors import ServiceError
from sango.mothers.models import Mother
from sango.mothers.services import infant_register_birth
from sango.programs.rules_for import rules_on
from sango.vouchers.models import Voucher

_QR_SALT = "sango.voucher.qr"


def _luhn_digit(digits: str) -> str:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def number_is_well_formed(number: str) -> bool:
    """``332089-1234-5678-9012`` with a correct check digit (dashes and spaces optional)."""
    digits = "".join(ch for ch in number if ch.isdigit())
    return len(digits) == 18 and _luhn_digit(digits[:-1]) == digits[-1]


def normalise_number(number: str) -> str:
    digits = "".join(ch for ch in number if ch.isdigit())
    return f"{digits[:6]}-{digits[6:10]}-{digits[10:14]}-{digits[14:]}"


def _new_number(municipality_code: str) -> str:
    body = municipality_code + "".join(secrets.choice("0123456789") for _ in range(11))
    return normalise_number(body + _luhn_digit(body))


def _create(**fields: Any) -> Voucher:
    current = Voucher.objects.filter(mother=fields["mother"], status=Voucher.Status.ACTIVE).exclude(
        valid_until__lt=timezone.localdate()
    )
    if current.exists():
        raise ServiceError(
            "この方には有効な利用券・利用カードがすでにあります（変更は利用変更の申請で行います）。",
            code="voucher_exists",
        )
    for _ in range(5):  # a clash among 10^11 numbers is rare; retry rather than fail
        try:
            with transaction.atomic():
                return Voucher.objects.create(
                    number=_new_number(fields["municipality"].code), **fields
                )
        except IntegrityError:
            continue
    raise ServiceError("番号を発行できませんでした。もう一度お試しください。", code="retry")


@transaction.atomic
def voucher_issue(*, application: Application, actor: Any) -> Voucher:
    """利用承認通知書兼利用券 for an approved application."""
    voucher = _create(
        municipality=application.municipality,
        mother=application.mother,
        application=application,
        office_id=application.office_id,
        kind=Voucher.Kind.VOUCHER,
        tier=application.tier,
        tier_basis=application.tier_basis,
        valid_from=application.valid_from,
        valid_until=application.valid_until,
        issued_by=actor,
        issued_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="voucher.issue",
        target=voucher,
        application=application,
        after={
            "kind": voucher.kind,
            "tier": voucher.tier,
            "valid_until": voucher.valid_until.isoformat(),
        },
    )
    return voucher


@transaction.atomic
def usage_card_issue(
    *, mother: Mother, actor: Any, tier: str, tier_basis: str = "", issued_on: date | None = None
) -> Voucher:
    """利用カード, handed out with the maternal and child health handbook where the programme
    uses cards instead of pre-application; eligibility is checked at each use. A card issued in
    pregnancy has no end date yet: the postpartum window is judged from the birth at each use."""
    require_acts_for(
        actor, "利用カードは市町村の職員が発行します。", municipality_id=mother.municipality_id
    )
    issued_on = issued_on or timezone.localdate()
    rules = rules_on(mother.municipality.code, issued_on)
    if rules.process.mode != "usage_card":
        raise ServiceError(
            "この期間の制度は事前申請方式です。利用カードは発行できません。", code="no_usage_card"
        )
    if tier not in rules.tier_codes:
        raise ServiceError(f"区分は {', '.join(rules.tier_codes)} のいずれかです。", field="tier")
    delivery = mother.delivery_date
    window = rules.eligibility.postpartum_window
    voucher = _create(
        municipality=mother.municipality,
        mother=mother,
        office_id=getattr(actor, "office_id", None),
        kind=Voucher.Kind.USAGE_CARD,
        tier=tier,
        tier_basis=tier_basis,
        valid_from=min(issued_on, delivery) if delivery else issued_on,
        valid_until=window.last_day(delivery) if delivery else None,
        issued_by=actor,
        issued_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="usage_card.issue",
        target=voucher,
        after={"kind": voucher.kind, "tier": tier},
    )
    return voucher


@transaction.atomic
def usage_card_register_birth(
    *,
    voucher: Voucher,
    actor: Any,
    birth_date: date,
    count: int = 1,
    name: str = "",
    due_date: date | None = None,
) -> Voucher:
    """The birth of the infant(s) of a usage card handed out in pregnancy: the infants are
    registered (``infant_register_birth``) and the card, active and still without an end date,
    gets the programme's postpartum window from the birth as its end (the window of the version
    the card was issued under, as ``usage_card_issue`` computes it) and a start not after the
    birth. Staff of the card's municipality, or the mother herself in マイページ."""
    require_acts_for(
        actor,
        "出生の登録は市町村の職員かご本人が行います。",
        municipality_id=voucher.municipality_id,
        mother=voucher.mother,
    )
    voucher = Voucher.objects.select_for_update().select_related("municipality").get(pk=voucher.pk)
    if voucher.kind != Voucher.Kind.USAGE_CARD:
        raise ServiceError("利用カードではありません。", code="not_a_card")
    if voucher.status != Voucher.Status.ACTIVE:
        raise ServiceError(
            "この利用カードは有効ではありません（無効・期間満了）。", code="invalid_state"
        )
    if voucher.valid_until is not None:
        raise ServiceError(
            "この利用カードの出生はすでに登録されています（有効期間が決まっています）。",
            code="birth_registered",
        )
    infant_register_birth(
        mother=voucher.mother,
        actor=actor,
        birth_date=birth_date,
        name=name,
        count=count,
        due_date=due_date,
    )
    window = rules_on(voucher.municipality.code, voucher.valid_from).eligibility.postpartum_window
    voucher.valid_from = min(voucher.valid_from, birth_date)
    voucher.valid_until = window.last_day(birth_date)
    voucher.save(update_fields=["valid_from", "valid_until"])
    audit_record(
        actor=actor,
        action="usage_card.register_birth",
        target=voucher,
        after={"valid_until": voucher.valid_until.isoformat(), "infants": count},
    )
    return voucher


def usage_card_register(*, user: Any, number: str, birth_date: date) -> Voucher:
    """利用カードの登録 in マイページ: a mother links the usage card she was handed (its printed
    number and her birth date) to her account, and from then on sees it there.

    The same ``not_found`` for every failure (unknown number, wrong birth date, a card already
    linked to another account), counted like a facility's failed checks
    (``sango.vouchers.checks``) so that a birth date cannot be guessed: after too many, the
    account is blocked for a while. A card linked already to this account is simply returned.
    Not called inside a transaction that a refusal rolls back: the failure it records stays.
    """
    from sango.vouchers.checks import ChecksBlocked, check_block_minutes
    from sango.vouchers.models import CheckFailure

    if user.role != user.Role.MOTHER:
        raise ServiceError("利用カードの登録はご本人のアカウントで行います。", code="forbidden")
    now = timezone.now()
    minutes = check_block_minutes(actor=user, now=now)
    if minutes is not None:
        raise ChecksBlocked(minutes)
    found = Voucher.objects.filter(
        number=voucher_number_shown(number=number), kind=Voucher.Kind.USAGE_CARD
    ).select_related("mother")
    card = found.first()
    theirs = card is not None and card.mother.user_id not in (None, user.pk)
    if card is None or theirs or card.mother.birth_date != birth_date:
        Reason = CheckFailure.Reason
        reason = Reason.UNKNOWN_NUMBER if card is None else Reason.WRONG_BIRTH_DATE
        CheckFailure.objects.create(user=user, at=now, voucher=card, reason=reason)
        raise _not_found()
    if card.mother.user_id == user.pk:
        return card
    with transaction.atomic():
        if Mother.objects.filter(user=user).exists():
            raise ServiceError(
                "このアカウントには、すでにあなたの情報が登録されています。"
                "利用カードをつなげるには、区役所にお問い合わせください。",
                code="invalid_state",
            )
        claimed = Mother.objects.filter(pk=card.mother_id, user__isnull=True).update(user=user)
        if not claimed:
            raise _not_found()
        audit_record(actor=user, action="usage_card.register", target=card, after={})
    card.mother.user = user
    return card


def voucher_qr_payload(voucher: Voucher) -> str:
    """The signed text printed as a QR code on the voucher: its number, tamper-evident."""
    return signing.dumps({"n": voucher.number}, salt=_QR_SALT, compress=True)


def _not_found() -> ServiceError:
    return ServiceError(
        "利用券を確認できません。番号と生年月日をお確かめください。", code="not_found"
    )


def voucher_number_shown(*, number: str = "", qr: str = "") -> str:
    """The voucher number a facility is shown, normalised: read from the signed QR payload, or
    typed. Raises ``bad_number`` on ``number`` for a typing mistake (the check digit) and
    ``not_found`` for a QR payload that is not a voucher's; nothing is looked up."""
    if qr:
        try:
            return signing.loads(qr, salt=_QR_SALT)["n"]
        except (signing.BadSignature, KeyError, TypeError):
            raise _not_found() from None
    if not number_is_well_formed(number):
        raise ServiceError(
            "番号の桁数か確認用の数字が違います。もう一度お確かめください。",
            field="number",
            code="bad_number",
        )
    return normalise_number(number)


def voucher_find(
    *, number: str = "", mother_birth_date: date | None = None, qr: str = ""
) -> Voucher:
    """The voucher a facility is shown: by signed QR payload, or by number and birth date.

    Every failure gives the same message, so a facility learns nothing about numbers it does
    not hold.
    """
    shown = voucher_number_shown(number=number, qr=qr)
    found = Voucher.objects.filter(number=shown).select_related("mother").first()
    if found is not None and not qr and found.mother.birth_date != mother_birth_date:
        found = None
    if found is None:
        raise _not_found()
    return found
