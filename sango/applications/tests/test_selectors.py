"""Days from submission to decision, counted as the programme counts its target."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from sango.applications.selectors import decision_timing
from sango.applications.services import application_create, application_submit
from sango.core.tests import factories as f

pytestmark = pytest.mark.django_db


def submitted(code: str, when: datetime):
    f.load_programmes()
    mother = f.mother_with_baby(code=code, born=date(2023, 12, 1))
    staff = f.clerk(code)
    application = application_create(actor=staff, mother=mother)
    return application_submit(
        application=application,
        actor=staff,
        channel="in_person",
        submitted_at=timezone.make_aware(when),
    )


def test_kumamoto_counts_a_week_in_calendar_days() -> None:
    # 熊本市: 「決定通知が届くまで１週間程度」 — target 7 calendar days.
    application = submitted(f.KUMAMOTO, datetime(2024, 3, 1, 10))
    on_time = decision_timing(application, today=date(2024, 3, 8))
    late = decision_timing(application, today=date(2024, 3, 9))
    assert (on_time.days, on_time.target_days, on_time.overdue) == (7, 7, False)
    assert (late.days, late.overdue) == (8, True)
    assert not late.decided


def test_no_target_is_never_overdue() -> None:
    # 総社市's leaflet gives no decision target.
    application = submitted(f.SOJA, datetime(2026, 4, 1, 10))
    timing = decision_timing(application, today=date(2026, 6, 1))
    assert timing.target_days is None and not timing.overdue
    assert timing.days == 61


def test_a_draft_has_no_timing() -> None:
    f.load_programmes()
    mother = f.mother_with_baby(born=date(2026, 3, 1))
    draft = application_create(actor=f.clerk(), mother=mother)
    assert decision_timing(draft) is None
