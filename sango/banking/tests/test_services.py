"""Bank accounts: codes checked against the zengin-code data, numbers and names normalised,
and accounts kept as rows that are never edited."""

import pytest
from django.db import IntegrityError

from sango.banking.directory import bank_named, banks_search, branch_named, branches_search
from sango.banking.models import BankAccount
from sango.banking.services import (
    BankAccountInvalid,
    bank_account_confirm,
    bank_account_register,
    bank_account_validate,
)
from sango.core.errors import ServiceError
from sango.core.tests import factories as f


def valid(**changes):
    fields = {
        "bank_code": "0001",
        "branch_code": "001",
        "kind": "1",
        "number": "1234567",
        "holder": "ソウジャ ハナコ",
        **changes,
    }
    return bank_account_validate(**fields)


def test_a_real_bank_and_branch_are_named_from_the_bank_code_data():
    details = valid()
    assert (details.bank_name, details.branch_name) == ("みずほ銀行", "東京営業部")
    assert details.holder == "ｿｳｼﾞﾔ ﾊﾅｺ"


def test_full_width_digits_are_read_and_a_short_number_is_left_padded():
    details = valid(bank_code="０１６８", branch_code="１９１", number="１２３４５")
    assert (details.bank_code, details.branch_code, details.number) == ("0168", "191", "0012345")
    assert (details.bank_name, details.branch_name) == ("中国銀行", "総社")


def test_a_code_that_does_not_exist_is_refused_on_its_field():
    with pytest.raises(BankAccountInvalid) as error:
        valid(bank_code="0002")
    assert "0002" in error.value.errors["bank_code"]
    with pytest.raises(BankAccountInvalid) as error:
        valid(branch_code="999")
    assert error.value.errors["branch_code"].startswith("みずほ銀行に支店コード 999")


def test_every_wrong_field_is_named_at_once():
    with pytest.raises(BankAccountInvalid) as error:
        valid(bank_code="12", branch_code="x", kind="9", number="12345678", holder="山田")
    assert set(error.value.errors) == {"bank_code", "branch_code", "kind", "number", "holder"}
    assert "「山」、「田」" in error.value.errors["holder"]


@pytest.mark.parametrize("holder", ["", "   ", "ア" * 31])
def test_an_empty_or_too_long_name_is_refused(holder):
    with pytest.raises(BankAccountInvalid) as error:
        valid(holder=holder)
    assert set(error.value.errors) == {"holder"}


def test_the_name_counts_voiced_marks_as_places_of_their_own():
    assert len(valid(holder="ガ" * 15).holder) == 30
    with pytest.raises(BankAccountInvalid):
        valid(holder="ガ" * 16)  # 32 places


def test_banks_and_branches_are_found_by_name_or_reading():
    assert [b.code for b in banks_search("みずほ")][:2] == ["0001", "0289"]
    assert banks_search("ちゅうごく")[0].code == "0168"  # small kana typed, large in the data
    assert banks_search("ゆうちょ")[0].name == "ゆうちょ銀行"
    assert [b.code for b in branches_search("0168", "総社")] == ["191", "205"]
    assert bank_named("9999") is None and branch_named("0001", "999") is None


@pytest.mark.django_db
def test_the_same_account_is_kept_once_and_a_new_one_retires_the_old():
    f.load_programmes()
    mother = f.mother_with_baby(born=f.days_ago(30), user=f.mother_user())
    first = bank_account_register(actor=mother.user, details=valid(), mother=mother)
    again = bank_account_register(actor=mother.user, details=valid(), mother=mother)
    assert again.pk == first.pk
    second = bank_account_register(actor=mother.user, details=valid(number="7"), mother=mother)
    first.refresh_from_db()
    assert first.retired_at is not None and second.retired_at is None
    assert second.number == "0000007"


@pytest.mark.django_db
def test_only_her_or_her_municipalitys_staff_enter_her_account_and_only_staff_confirm():
    f.load_programmes()
    mother = f.mother_with_baby(born=f.days_ago(30), user=f.mother_user())
    other = f.mother_user()
    with pytest.raises(ServiceError):
        bank_account_register(actor=other, details=valid(), mother=mother)
    with pytest.raises(ServiceError):
        bank_account_register(actor=f.clerk(f.KUMAMOTO), details=valid(), mother=mother)
    account = bank_account_register(actor=f.clerk(), details=valid(), mother=mother)
    with pytest.raises(ServiceError):
        bank_account_confirm(account=account, actor=mother.user)
    with pytest.raises(ServiceError):
        bank_account_confirm(account=account, actor=f.clerk(f.KUMAMOTO))
    confirmed = bank_account_confirm(account=account, actor=f.clerk())
    assert confirmed.confirmed_at is not None


@pytest.mark.django_db
def test_a_facilitys_account_is_entered_by_its_staff_or_a_contracting_municipality():
    f.load_programmes()
    facility = f.facility("kaneko-josanin")
    account = bank_account_register(
        actor=f.facility_staff("kaneko-josanin"), details=valid(), facility=facility
    )
    assert account.facility_id == facility.pk
    with pytest.raises(ServiceError):
        bank_account_register(
            actor=f.facility_staff("kunitomi-clinic"), details=valid(), facility=facility
        )
    assert bank_account_confirm(account=account, actor=f.approver()).confirmed_by_id


@pytest.mark.django_db
def test_an_account_has_exactly_one_owner():
    f.load_programmes()
    with pytest.raises(IntegrityError):
        BankAccount.objects.create(**valid().as_dict(), created_by=f.clerk())
