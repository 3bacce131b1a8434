"""mother_update_self: she corrects her own record while nothing is handed in; after that the
office keeps what it received."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from sango.core.errors import ServiceError
from sango.core.tests import factories as f
from sango.mothers.services import mother_can_update_self, mother_update_self

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _programmes() -> None:
    f.load_programmes()


def _update(mother, **changes):
    arguments = {
        "user": mother.user,
        "municipality_id": mother.municipality_id,
        "name": "試験 花子",
        "name_kana": "ｼｹﾝ ﾊﾅｺ",
        "birth_date": date(1994, 5, 20),
        "postal_code": "７１９１１３１",
        "address": "岡山県総社市中央2-2-2",
        "phone": "0866-92-8261",
        "infants": [{"birth_date": f.days_ago(10)}, {"birth_date": f.days_ago(10)}],
        **changes,
    }
    return mother_update_self(**arguments)


def test_she_corrects_her_record_and_babies():
    mother = f.mother_with_baby(born=f.days_ago(10), user=f.mother_user())
    _update(mother)
    mother.refresh_from_db()
    assert (mother.name_kana, mother.postal_code) == ("シケン ハナコ", "719-1131")
    assert mother.infants.count() == 2


def test_a_future_birth_is_refused():
    mother = f.mother_with_baby(born=f.days_ago(10), user=f.mother_user())
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ServiceError) as refused:
        _update(mother, infants=[{"birth_date": tomorrow}])
    assert refused.value.field == "infant_birth_date"


def test_after_submission_the_record_is_the_offices():
    mother = f.mother_with_baby(born=f.days_ago(10), user=f.mother_user())
    f.submitted_application(mother=mother)
    assert not mother_can_update_self(mother)
    with pytest.raises(ServiceError):
        _update(mother)


def test_with_a_draft_she_keeps_her_municipality():
    mother = f.mother_with_baby(born=f.days_ago(10), user=f.mother_user())
    f.application_in("draft", mother=mother)
    with pytest.raises(ServiceError) as refused:
        _update(mother, municipality_id=f.municipality(f.KUMAMOTO).pk)
    assert refused.value.field == "municipality"
