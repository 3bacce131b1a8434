"""Registering a mother: what people type is normalised, what cannot be read is named."""

from datetime import date

import pytest

from sango.core.errors import ServiceError
from sango.core.tests import factories as f
from sango.mothers.services import mother_create

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
