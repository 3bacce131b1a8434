"""Reading what a voucher has used, and building the rules core's request from the database
(STYLE.md 4: the selector layer between the pure calculation and the service that saves it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import prefetch_related_objects
from django.utils import timezone

from sango.applications.models import Grant
from sango.core.wareki import fiscal_year
from sango.rules.program import RuleSet
from sango.rules.request import UseRequest
from sango.usage.models import Use
from sango.vouchers.models import Voucher


def used_by_cap(*, voucher: Voucher, rules: RuleSet, day: date | None = None) -> dict[str, int]:
    """What the mother's recorded uses since her latest delivery counted against each cap of
    ``rules`` — on this voucher and any other she holds, so a second card starts nowhere.

    A cap with ``period: fiscal_year`` counts only uses in the fiscal year of ``day``.
    """
    uses = Use.objects.filter(voucher__mother_id=voucher.mother_id, status=Use.Status.RECORDED)
    delivery = voucher.mother.delivery_date
    if delivery is not None:
        uses = uses.filter(day__gte=delivery)
    rows = list(uses.values_list("day", "counted"))
    used: dict[str, int] = {}
    for cap in rules.caps:
        total = 0
        for use_day, counted in rows:
            if cap.period == "fiscal_year" and day and fiscal_year(use_day) != fiscal_year(day):
                continue
            total += counted.get(cap.code, 0)
        used[cap.code] = total
    return used


def remaining_by_cap(*, voucher: Voucher, rules: RuleSet, day: date) -> dict[str, dict]:
    """Per cap: its name, unit, limit (the grant where one was made), used and remaining.
    An approval allows nothing on a cap it did not mention (as ``_granted`` tells the rules);
    a usage card, which has no approval, allows the programme's caps.

    Three queries at most: the mother's infants (unless prefetched), her uses, the grants."""
    prefetch_related_objects([voucher], "mother__infants")
    used = used_by_cap(voucher=voucher, rules=rules, day=day)
    grants = _grants(voucher)
    infants_born = max(_infants_born(voucher), 1)
    summary = {}
    for cap in rules.caps:
        limit = cap.limit + cap.per_additional_infant * (infants_born - 1)
        limit = grants.get(cap.code, limit if voucher.application_id is None else 0)
        summary[cap.code] = {
            "name": cap.name,
            "unit": cap.unit,
            "limit": limit,
            "used": used[cap.code],
            "remaining": max(limit - used[cap.code], 0),
        }
    return summary


def _grants(voucher: Voucher) -> dict[str, int]:
    """The approval's grants per cap: prefetched with the application, or one query."""
    if voucher.application_id is None:
        return {}
    if Voucher.application.is_cached(voucher):
        prefetched = getattr(voucher.application, "_prefetched_objects_cache", {})
        if "grants" in prefetched:
            return {g.cap: g.quantity for g in prefetched["grants"]}
    grants = Grant.objects.filter(application_id=voucher.application_id)
    return dict(grants.values_list("cap", "quantity"))


def _granted(voucher: Voucher, rules: RuleSet) -> dict[str, int]:
    """What the approval allows per cap; a cap the approval did not mention allows nothing.
    A usage card carries no grants: the programme's caps apply as they are."""
    if voucher.application_id is None:
        return {}
    grants = _grants(voucher)
    return {cap.code: grants.get(cap.code, 0) for cap in rules.caps}


def _infants_born(voucher: Voucher) -> int:
    delivery = voucher.mother.delivery_date
    return sum(1 for infant in voucher.mother.infants.all() if infant.birth_date == delivery)


def _wall_clock(moment: datetime | None) -> datetime | None:
    """The rules core reads times as the facility's wall clock (Japan time), without zone."""
    if moment is None:
        return None
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.replace(tzinfo=None)


@dataclass(frozen=True)
class UseDetails:
    """What a facility says about one use. ``fee`` and ``extras`` in yen; ``quantity`` in the
    service's unit, or derived from ``start``/``end``."""

    service: str
    day: date | None = None
    start: datetime | None = None
    end: datetime | None = None
    quantity: int | None = None
    infants: int = 1
    fee: int | None = None
    extras: int = 0
    own_patient: bool | None = None
    mother_present: bool = True


def use_request_for(
    *,
    voucher: Voucher,
    rules: RuleSet,
    details: UseDetails,
    day: date,
    facility_slug: str | None,
) -> UseRequest:
    """The rules core's view of one use of ``voucher``: the mother's births, the tier, the
    grants and what was used before, from the database: the infants (unless prefetched), the
    latest interview, the uses and the grants, a query each."""
    prefetch_related_objects([voucher], "mother__infants")
    mother = voucher.mother
    delivery = mother.delivery_date
    infants_list = [i for i in mother.infants.all() if i.birth_date == delivery]
    due_dates = [i.due_date for i in infants_list if i.due_date]
    application = voucher.application
    interview = application.interviews.order_by("-conducted_at").first() if application else None
    used = used_by_cap(voucher=voucher, rules=rules, day=day)
    return UseRequest(
        municipality=voucher.municipality.code,
        service=details.service,
        day=day,
        tier=voucher.tier,
        birth_date=delivery,
        start=_wall_clock(details.start),
        end=_wall_clock(details.end),
        quantity=details.quantity,
        infants=details.infants,
        infants_born=max(len(infants_list), 1),
        facility=facility_slug,
        fee=details.fee,
        extras=details.extras,
        used=tuple(sorted(used.items())),
        granted=tuple(sorted(_granted(voucher, rules).items())),
        mother_present=details.mother_present,
        exclusions=frozenset(interview.exclusions_found) if interview else frozenset(),
        needs=frozenset(interview.needs_found) if interview else None,
        own_patient=details.own_patient,
        residence=application.residence if application else "resident",
        due_date=max(due_dates) if due_dates else None,
    )
