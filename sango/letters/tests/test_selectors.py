"""The day's letters load in a fixed number of queries, however many letters there are, and
composing them asks the database nothing more."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sango.applications.changes import change_request_decide, change_request_submit
from sango.core.tests import factories as f
from sango.letters.render import decision_letter_pdf, letters_pdf
from sango.letters.selectors import decision_for_letter, decisions_issued_on


def approved():
    mother = f.mother_with_baby(born=f.days_ago(20))
    return f.approved_application(mother=mother, grants={"stay": 3, "day": 2})


def the_days_letters() -> int:
    """Render every letter 総社市 issued today; return the queries it took."""
    municipality = f.municipality()
    with CaptureQueriesContext(connection) as queries:
        pdf = letters_pdf(
            decisions_issued_on(municipality_id=municipality.pk, day=timezone.localdate())
        )
    assert pdf.startswith(b"%PDF")
    return len(queries)


def test_a_batch_of_five_letters_costs_the_queries_of_one() -> None:
    approved()
    one = the_days_letters()
    approved()
    f.rejected_application(mother=f.mother_with_baby(born=f.days_ago(20)))
    change = change_request_submit(
        application=approved(), actor=f.clerk(), kind="change", grants={"stay": 5}
    )
    change_request_decide(change=change, actor=f.approver(), approve=True)
    cancel = change_request_submit(
        application=approved(), actor=f.clerk(), kind="cancel", reason="転出のため"
    )
    change_request_decide(change=cancel, actor=f.approver(), approve=True)
    day = timezone.localdate()
    assert decisions_issued_on(municipality_id=f.municipality().pk, day=day).count() == 7
    assert the_days_letters() == one


def test_a_loaded_letter_renders_without_a_query(django_assert_num_queries) -> None:
    decision = decision_for_letter(approved().decisions.get().pk)
    with django_assert_num_queries(0):
        decision_letter_pdf(decision)


def test_the_days_letters_are_the_citys_own_of_that_day_in_number_order() -> None:
    yesterday = timezone.localtime() - timedelta(days=1)
    with f.frozen_now(yesterday):
        earlier = approved().decisions.get()
    first, second = approved().decisions.get(), approved().decisions.get()
    today = decisions_issued_on(municipality_id=first.municipality_id, day=timezone.localdate())
    assert list(today) == [first, second]
    assert first.sequence < second.sequence
    assert list(
        decisions_issued_on(municipality_id=first.municipality_id, day=yesterday.date())
    ) == [earlier]
    other = f.municipality(f.KUMAMOTO)
    assert not decisions_issued_on(municipality_id=other.pk, day=timezone.localdate()).exists()
