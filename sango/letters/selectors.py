"""Loading what the letters print, in a fixed number of queries however many letters there are.

A letter reads the decision, its application with the mother (and her infants), the office,
the facility, the voucher and the grants, and the change request a change or cancellation
answers. ``with_letter_data`` fetches all of it with joins and two prefetches; the rules come
from the programme registry (``rules_on``) and cost no query.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from sango.applications.models import Decision
from sango.vouchers.models import Voucher


def with_letter_data(decisions: QuerySet[Decision]) -> QuerySet[Decision]:
    """``decisions`` with everything a letter prints joined or prefetched."""
    return decisions.select_related(
        "municipality",
        "application__mother",
        "application__office",
        "application__facility",
        "application__voucher",
        "change_request__facility",
    ).prefetch_related("application__grants", "application__mother__infants")


def decisions_issued_on(*, municipality_id: int, day: date) -> QuerySet[Decision]:
    """Every decision of the municipality decided on ``day`` (Japan time), in number order:
    the batch print of the day's letters."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    decisions = Decision.objects.filter(
        municipality_id=municipality_id, decided_at__gte=start, decided_at__lt=end
    ).order_by("fiscal_year", "sequence")
    return with_letter_data(decisions)


def decision_for_letter(pk: int) -> Decision:
    """One decision with everything its letter prints. Raises ``Decision.DoesNotExist``."""
    return with_letter_data(Decision.objects.all()).get(pk=pk)


def voucher_for_card(pk: int) -> Voucher:
    """One voucher with the mother, municipality and issuing office its card prints."""
    return Voucher.objects.select_related("mother", "municipality", "issued_by__office").get(pk=pk)
