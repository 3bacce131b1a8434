"""Reading applications: how long a decision is taking against the programme's target."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from django.utils import timezone

from sango.applications.models import Application
from sango.core.calendar import business_days_between
from sango.programs.rules_for import rules_on


@dataclass(frozen=True)
class DecisionTiming:
    """Days from submission to decision (or to today while undecided), counted as the
    programme counts its target: business days (weekends, holidays and 年末年始 excluded) or
    calendar days."""

    days: int
    target_days: int | None
    counting: str  # "business" | "calendar"
    decided: bool
    overdue: bool

    def as_dict(self) -> dict:
        return asdict(self)


def decision_timing(
    application: Application, *, today: date | None = None
) -> DecisionTiming | None:
    """None for an application not yet submitted."""
    if application.submitted_at is None:
        return None
    submitted = timezone.localtime(application.submitted_at).date()
    process = rules_on(application.municipality.code, submitted).process
    decided = application.decided_at is not None
    end = (
        timezone.localtime(application.decided_at).date()
        if decided
        else today or timezone.localdate()
    )
    if process.decision_days == "business":
        days = business_days_between(submitted, end)
    else:
        days = max((end - submitted).days, 0)
    target = process.decision_target_days
    return DecisionTiming(
        days=days,
        target_days=target,
        counting=process.decision_days,
        decided=decided,
        overdue=target is not None and days > target,
    )
