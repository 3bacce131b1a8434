"""A usage card handed out in pregnancy gets its end date when the birth is registered."""

from datetime import date, timedelta

import pytest

from sango.audit.models import AuditEvent
from sango.core.errors import ServiceError
from sango.core.tests import factories as f
from sango.mothers.services import infant_register_birth
from sango.vouchers.models import Voucher
from sango.vouchers.services import usage_card_issue, usage_card_register_birth

pytestmark = pytest.mark.django_db


@pytest.fixture
def card() -> Voucher:
    f.load_programmes()
    expecting = f.MotherFactory(municipality=f.municipality(f.KUMAMOTO))
    return usage_card_issue(
        mother=expecting, actor=f.clerk(f.KUMAMOTO), tier="taxable", issued_on=date(2025, 6, 1)
    )


def test_twins_birth_gives_the_card_its_postpartum_window(card) -> None:
    clerk = f.clerk(f.KUMAMOTO)
    updated = usage_card_register_birth(
        voucher=card, actor=clerk, birth_date=date(2025, 12, 10), count=2, name="熊本 一郎"
    )
    # 熊本市: 産後1年未満, so the last day is the day before the first birthday.
    assert (updated.valid_from, updated.valid_until) == (date(2025, 6, 1), date(2026, 12, 9))
    infants = list(card.mother.infants.all())
    assert [i.birth_date for i in infants] == [date(2025, 12, 10)] * 2
    assert [i.name for i in infants] == ["熊本 一郎", ""]
    card.refresh_from_db()
    assert card.valid_until == date(2026, 12, 9)


def test_a_birth_before_the_card_moves_its_start_back(card) -> None:
    updated = usage_card_register_birth(
        voucher=card, actor=f.clerk(f.KUMAMOTO), birth_date=date(2025, 5, 20)
    )
    assert updated.valid_from == date(2025, 5, 20)


def test_the_due_date_is_kept_with_the_infants(card) -> None:
    usage_card_register_birth(
        voucher=card,
        actor=f.clerk(f.KUMAMOTO),
        birth_date=date(2025, 11, 1),
        due_date=date(2025, 12, 1),
    )
    assert card.mother.infants.get().due_date == date(2025, 12, 1)


def test_the_birth_is_registered_once(card) -> None:
    clerk = f.clerk(f.KUMAMOTO)
    usage_card_register_birth(voucher=card, actor=clerk, birth_date=date(2025, 12, 10))
    with pytest.raises(ServiceError) as again:
        usage_card_register_birth(voucher=card, actor=clerk, birth_date=date(2025, 12, 11))
    assert again.value.code == "birth_registered"
    assert card.mother.infants.count() == 1


def test_another_municipalitys_staff_cannot_register_the_birth(card) -> None:
    with pytest.raises(ServiceError) as refused:
        usage_card_register_birth(voucher=card, actor=f.clerk(f.SOJA), birth_date=date(2025, 12, 1))
    assert refused.value.code == "forbidden"
    assert not card.mother.infants.exists()
    card.refresh_from_db()
    assert card.valid_until is None


def test_a_cancelled_card_gets_no_birth(card) -> None:
    Voucher.objects.filter(pk=card.pk).update(status=Voucher.Status.CANCELLED)
    with pytest.raises(ServiceError) as refused:
        usage_card_register_birth(
            voucher=card, actor=f.clerk(f.KUMAMOTO), birth_date=date(2025, 12, 1)
        )
    assert refused.value.code == "invalid_state"
    assert not card.mother.infants.exists()


def test_a_birth_in_the_future_is_refused_and_nothing_saved(card) -> None:
    tomorrow = f.days_ago(-1)
    with pytest.raises(ServiceError) as refused:
        usage_card_register_birth(voucher=card, actor=f.clerk(f.KUMAMOTO), birth_date=tomorrow)
    assert refused.value.field == "birth_date"
    card.refresh_from_db()
    assert card.valid_until is None


def test_infant_register_birth_audits_the_count_only(card) -> None:
    clerk = f.clerk(f.KUMAMOTO)
    infants = infant_register_birth(
        mother=card.mother, actor=clerk, birth_date=date(2025, 12, 1), name="熊本 花", count=3
    )
    assert len(infants) == 3
    event = AuditEvent.objects.get(action="infant.register_birth")
    assert event.after == {"infants": 3}
    assert "熊本" not in str(event.after) and "2025" not in str(event.after)


@pytest.mark.parametrize("count", [0, 6])
def test_infant_register_birth_needs_a_sensible_count(card, count) -> None:
    with pytest.raises(ServiceError) as refused:
        infant_register_birth(
            mother=card.mother,
            actor=f.clerk(f.KUMAMOTO),
            birth_date=date(2025, 12, 1) - timedelta(days=1),
            count=count,
        )
    assert refused.value.field == "count"


def test_infant_register_birth_is_for_staff_of_the_mothers_municipality(card) -> None:
    with pytest.raises(ServiceError) as refused:
        infant_register_birth(
            mother=card.mother, actor=f.mother_user(), birth_date=date(2025, 12, 1)
        )
    assert refused.value.code == "forbidden"
