"""Registering a mother: what people type is normalised, what cannot be read is named."""

from datetime import date

import pytest

from sango.core.errors import ServiceError
from sango.core.tests import factories as f
from sango.mothers.services import mother_create, normalise_phone

pytestmark = pytest.mark.django_db

PERSON = {
    "name": "総社 花子",
    "name_kana": "ｿｳｼﾞｬ ﾊﾅｺ",
    "birth_date": date(1994, 5, 20),
    "postal_code": "〒７１９－１１３１",
    "address": "岡山県総社市中央一丁目1番1号",
    "phone": "０８６６（９２）８２６１",
}


@pytest.fixture
def clerk():
    f.load_programmes()
    return f.clerk()


def test_typed_input_is_normalised(clerk) -> None:
    mother = mother_create(actor=clerk, infants=[{"birth_date": date(2026, 3, 1)}], **PERSON)
    assert mother.name_kana == "ソウジャ ハナコ"
    assert mother.postal_code == "719-1131"
    assert mother.phone == "0866-92-8261"
    assert mother.municipality.code == f.SOJA
    assert mother.delivery_date == date(2026, 3, 1)


def test_hiragana_kana_becomes_katakana(clerk) -> None:
    mother = mother_create(actor=clerk, **{**PERSON, "name_kana": "そうじゃ　はなこ"})
    assert mother.name_kana == "ソウジャ ハナコ"


@pytest.mark.parametrize(
    ("field", "typed"),
    [("name_kana", "Soja Hanako"), ("postal_code", "71911"), ("phone", "call me")],
)
def test_unreadable_input_names_the_field(clerk, field, typed) -> None:
    with pytest.raises(ServiceError) as error:
        mother_create(actor=clerk, **{**PERSON, field: typed})
    assert error.value.field == field


def test_only_municipal_staff_register(clerk) -> None:
    with pytest.raises(ServiceError) as error:
        mother_create(actor=f.facility_staff("kaneko-josanin"), **PERSON)
    assert error.value.code == "forbidden"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("090-1234-5678", "090-1234-5678"),
        ("09012345678", "090-1234-5678"),
        ("０９０－１２３４－５６７８", "090-1234-5678"),
        ("+81 90-1234-5678", "090-1234-5678"),
        ("(0866)92-8261", "0866-92-8261"),
        ("0866 92 8261", "0866-92-8261"),
        ("0120-123-456", "0120-123-456"),
        # The demo's fictional mobile block: the right length, kept as grouped.
        ("090-0000-0101", "090-0000-0101"),
    ],
)
def test_phone_numbers_in_any_common_format(typed, stored) -> None:
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize("typed", ["1234", "090-1234-567890", "+1 212 555 0100", "電話"])
def test_a_phone_number_that_cannot_be_one_is_refused(typed) -> None:
    with pytest.raises(ServiceError) as error:
        normalise_phone(typed)
    assert error.value.field == "phone"
