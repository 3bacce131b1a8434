"""Registering mothers and their infants (personal data: never logged, never in audit events).

What people type is normalised with jaconv — half-width katakana and hiragana in the kana name
become full-width katakana, full-width digits in postal codes and phone numbers become ASCII —
and then checked, so a record is consistent however it was entered.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, TypedDict

import jaconv
import phonenumbers
from django.db import transaction
from django.utils import timezone

from sango.accounts.roles import require_acts_for
from sango.audit.services import audit_record
from sango.core.errors import ServiceError
from sango.core.text import clean_text
from sango.mothers.models import Infant, Mother

_KATAKANA = re.compile(r"^[\u30a1-\u30fc\u3000 ]+$")
_POSTAL = re.compile(r"^(\d{3})-?(\d{4})$")
_PHONE = re.compile(r"^0\d{1,4}-?\d{1,4}-?\d{3,4}$")


def normalise_kana(text: str) -> str:
    """フリガナ in full-width katakana: ﾊﾅｺ and はなこ both become ハナコ."""
    kana = jaconv.hira2kata(jaconv.h2z(text.strip(), kana=True, digit=False, ascii=False))
    kana = " ".join(kana.split())  # one space between family and given name, whatever was typed
    if not _KATAKANA.match(kana):
        raise ServiceError("フリガナはカタカナで入力してください。", field="name_kana")
    return kana


def normalise_postal_code(text: str) -> str:
    """郵便番号 as 123-4567, from ７１９１１３１, 〒719-1131 or 719-1131."""
    digits = jaconv.z2h(text.strip(), digit=True, ascii=True, kana=False).lstrip("〒").strip()
    found = _POSTAL.match(digits.replace("ー", "-").replace("−", "-"))
    if not found:
        raise ServiceError(
            "郵便番号は7桁の数字で入力してください（例: 719-1131）。", field="postal_code"
        )
    return f"{found[1]}-{found[2]}"


def normalise_phone(text: str) -> str:
    """電話番号 in Japan's national format with hyphens (090-1234-5678, 0866-92-8261), read with
    ``phonenumbers`` from however it was typed: full-width digits, brackets around the area
    code, no hyphens, or +81. A number of the right length in a block not allocated (the demo's
    fictional 090-0000-…) keeps the grouping typed, since phonenumbers cannot group it."""
    typed = jaconv.z2h(text.strip(), digit=True, ascii=True, kana=False)
    typed = typed.replace("ー", "-").replace("−", "-").replace("‐", "-")
    try:
        number = phonenumbers.parse(typed, "JP")
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and number.country_code == 81:
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        # 0866(92)8261 and (0866) 92-8261 are both 0866-92-8261.
        grouped = re.sub(r"-+", "-", re.sub(r"[()\s]+", "-", typed)).strip("-")
        if phonenumbers.is_possible_number(number) and _PHONE.match(grouped):
            return grouped
    raise ServiceError("電話番号を確かめてください（例: 0866-92-8261）。", field="phone")


class InfantData(TypedDict, total=False):
    name: str
    birth_date: date
    due_date: date | None


def _details(
    *, name: str, name_kana: str, postal_code: str, address: str, phone: str
) -> dict[str, str]:
    """Her details as they are stored: kana, postal code and phone normalised and checked."""
    return {
        "name": name.strip(),
        "name_kana": normalise_kana(name_kana),
        "postal_code": normalise_postal_code(postal_code),
        "address": address.strip(),
        "phone": normalise_phone(phone),
    }


def _check_born(infants: list[InfantData] | None) -> None:
    if len(infants or []) > MAX_INFANTS_AT_BIRTH:
        raise ServiceError(
            f"赤ちゃんは{MAX_INFANTS_AT_BIRTH}人まで登録できます。", field="infants", code="invalid"
        )
    today = timezone.localdate()
    if any(infant["birth_date"] > today for infant in infants or []):
        raise ServiceError(
            "赤ちゃんの生年月日が今日より後になっています。", field="infant_birth_date"
        )


def _infants_add(mother: Mother, infants: list[InfantData] | None) -> None:
    Infant.objects.bulk_create(
        Infant(
            mother=mother,
            name=clean_text(infant.get("name", "")),  # bulk_create sends no pre_save
            birth_date=infant["birth_date"],
            due_date=infant.get("due_date"),
        )
        for infant in infants or []
    )


@transaction.atomic
def mother_create(
    *,
    actor: Any,
    name: str,
    name_kana: str,
    birth_date: date,
    postal_code: str,
    address: str,
    phone: str,
    infants: list[InfantData] | None = None,
    due_date: date | None = None,
) -> Mother:
    """Register a mother, with her infants, at the municipality of ``actor`` (municipal staff);
    ``due_date`` is the 出産予定日 of a baby not born yet.

    The audit event records the count of infants, never names or dates (personal data).
    """
    if not getattr(actor, "municipality_id", None):
        raise ServiceError("産婦の登録は市町村の職員が行います。", code="forbidden")
    _check_born(infants)
    mother = Mother.objects.create(
        municipality_id=actor.municipality_id,
        birth_date=birth_date,
        due_date=due_date,
        **_details(
            name=name, name_kana=name_kana, postal_code=postal_code, address=address, phone=phone
        ),
    )
    _infants_add(mother, infants)
    audit_record(
        actor=actor, action="mother.create", target=mother, after={"infants": len(infants or [])}
    )
    return mother


@transaction.atomic
def mother_register_self(
    *,
    user: Any,
    municipality_id: int,
    name: str,
    name_kana: str,
    birth_date: date,
    postal_code: str,
    address: str,
    phone: str,
    infants: list[InfantData] | None = None,
    due_date: date | None = None,
) -> Mother:
    """A mother's own record, made from her portal account (マイページ) at the municipality
    whose programme she uses; one record per account. Checked and normalised as staff entry is."""
    if user.role != user.Role.MOTHER:
        raise ServiceError("この操作は産婦ご本人のアカウントで行います。", code="forbidden")
    if Mother.objects.filter(user=user).exists():
        raise ServiceError("この方の情報はすでに登録されています。", code="invalid_state")
    _check_born(infants)
    mother = Mother.objects.create(
        municipality_id=municipality_id,
        user=user,
        birth_date=birth_date,
        due_date=due_date,
        **_details(
            name=name, name_kana=name_kana, postal_code=postal_code, address=address, phone=phone
        ),
    )
    _infants_add(mother, infants)
    audit_record(
        actor=user,
        action="mother.register_self",
        target=mother,
        municipality_id=municipality_id,
        after={"infants": len(infants or [])},
    )
    return mother


MAX_INFANTS_AT_BIRTH = 5  # a bound on what is typed, not a rule of any programme


@transaction.atomic
def infant_register_birth(
    *,
    mother: Mother,
    actor: Any,
    birth_date: date,
    name: str = "",
    count: int = 1,
    due_date: date | None = None,
) -> list[Infant]:
    """Register the birth of ``count`` infants (2 for twins) on ``birth_date``, by municipal
    staff of the mother's municipality or by the mother herself (マイページ, for her usage
    card). ``name`` is the first infant's (optional; the others are named later);
    ``due_date`` (出産予定日) is kept for programmes that count an early baby's window from it.
    The audit event records the count only, never names or dates.
    """
    require_acts_for(
        actor,
        "出生の登録は市町村の職員かご本人が行います。",
        municipality_id=mother.municipality_id,
        mother=mother,
    )
    if not 1 <= count <= MAX_INFANTS_AT_BIRTH:
        raise ServiceError(
            f"人数は1から{MAX_INFANTS_AT_BIRTH}までです。", field="count", code="invalid"
        )
    if birth_date > timezone.localdate():
        raise ServiceError("まだ来ていない日の出生は登録できません。", field="birth_date")
    if birth_date < mother.birth_date:
        raise ServiceError("出生日が産婦の生年月日より前です。", field="birth_date")
    infants = Infant.objects.bulk_create(
        Infant(
            mother=mother,
            name=name.strip() if index == 0 else "",
            birth_date=birth_date,
            due_date=due_date,
        )
        for index in range(count)
    )
    audit_record(
        actor=actor, action="infant.register_birth", target=mother, after={"infants": count}
    )
    return infants


def mother_can_update_self(mother: Mother) -> bool:
    """Whether she may still correct her record herself: nothing handed in, nothing issued."""
    return not (mother.applications.exclude(status="draft").exists() or mother.vouchers.exists())


@transaction.atomic
def mother_update_self(
    *,
    user: Any,
    municipality_id: int,
    name: str,
    name_kana: str,
    birth_date: date,
    postal_code: str,
    address: str,
    phone: str,
    infants: list[InfantData] | None = None,
    due_date: date | None = None,
) -> Mother:
    """Her own record corrected from マイページ, infants included (replaced by ``infants``),
    while none of her applications has been handed in: once one is, what the office received
    is what it decides on, and a change goes through こども課."""
    mother = Mother.objects.select_for_update().filter(user=user).first()
    if mother is None or user.role != user.Role.MOTHER:
        raise ServiceError("この操作は産婦ご本人のアカウントで行います。", code="forbidden")
    if not mother_can_update_self(mother):
        raise ServiceError(
            "申請を受け付けたあとは、ここでは変更できません。こども課へご連絡ください。",
            code="invalid_state",
        )
    if municipality_id != mother.municipality_id and mother.applications.exists():
        # her draft's answers and documents were made for the other programme
        raise ServiceError(
            "申請の下書きがあるため、市町村は変えられません。こども課へご相談ください。",
            field="municipality",
        )
    _check_born(infants)
    details = _details(
        name=name, name_kana=name_kana, postal_code=postal_code, address=address, phone=phone
    )
    for field, value in details.items():
        setattr(mother, field, value)
    mother.municipality_id = municipality_id
    mother.birth_date, mother.due_date = birth_date, due_date
    mother.save()
    # No other record points at an infant row: replacing them keeps the list as she typed it.
    mother.infants.all().delete()
    _infants_add(mother, infants)
    audit_record(
        actor=user,
        action="mother.update_self",
        target=mother,
        municipality_id=municipality_id,
        after={"infants": len(infants or [])},
    )
    return mother
