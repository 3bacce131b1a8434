"""Reading what a voucher has used, and building the rules core's request from the database
(STYLE.md 4: the selector layer between the pure calculation and the service that saves it)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import prefetch_related_objects
from django.utils import timezone

from sango.applications.models import Grant, Interview
from sango.core.wareki import fiscal_year
from sango.mothers.models import Infant
from sango.rules.program import RuleSet
from sango.rules.request import UseRequest
from sango.usage.models import Use
from sango.vouchers.models import Voucher


@dataclass(frozen=True)
class VoucherFacts:
    """What the rules need of a voucher's mother and approval, read in one query
    (``voucher_facts``): her births, the latest interview, her recorded uses since the latest
    delivery (on every voucher she holds) and the approval's grants."""

    delivery: date | None  # the day of the latest birth
    infants_born: int  # infants born that day
    due_date: date | None  # the latest due date among them
    interviewed: bool
    exclusions: frozenset[str]
    needs: frozenset[str]
    uses: tuple[tuple[date, dict[str, int]], ...]  # (day, counted) of each recorded use
    grants: dict[str, int]


def _day(value: Any) -> date | None:
    """A date column as a date: SQLite hands a compound select's dates back as text."""
    return value if value is None or isinstance(value, date) else date.fromisoformat(value)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def _branch(
    kind: str,
    dates: tuple[str, str] = ("NULL", "NULL"),
    texts: tuple[str, str] = ("NULL", "NULL"),
    number: str = "NULL",
) -> str:
    """One branch of ``voucher_facts``' query: its kind, two dates, two texts and a number,
    each cast, so that PostgreSQL resolves one type per column of the union. (Not the dates on
    SQLite, which keeps them as text and would read a cast one as the number 2026.)"""
    postgresql = connection.vendor == "postgresql"
    cast = [f"CAST({d} AS DATE)" if postgresql else d for d in dates]
    cast += [f"CAST({t} AS TEXT)" for t in texts]
    return f"SELECT '{kind}', {', '.join(cast)}, CAST({number} AS INTEGER)"


def voucher_facts(voucher: Voucher) -> VoucherFacts:
    """The ``VoucherFacts`` of ``voucher``: one round trip instead of four (the infants, the
    interview, the uses and the grants), written as plain SQL that both PostgreSQL and SQLite
    run, since compiling four ORM queries costs more than running them on every use recorded
    and every voucher checked. Her uses of earlier deliveries are read too and left out here,
    once the births tell the delivery day (a mother has few). Read after the mother's lock,
    it sees every use committed before it (``sango.usage.services``)."""
    sql = _facts_sql(type(connection.ops))
    application_id = voucher.application_id
    params = [voucher.mother_id, application_id, voucher.mother_id, Use.Status.RECORDED]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, application_id])
        rows = cursor.fetchall()
    births = [(_day(born), _day(due)) for kind, born, due, *_ in rows if kind == "f"]
    delivery = max((born for born, _ in births), default=None)
    latest = [(_json(a), _json(b)) for kind, _, _, a, b, _ in rows if kind == "i"]
    uses = [(_day(day), _json(counted)) for kind, day, _, counted, _, _ in rows if kind == "u"]
    due_dates = [due for born, due in births if born == delivery and due]
    return VoucherFacts(
        delivery=delivery,
        infants_born=sum(1 for born, _ in births if born == delivery),
        due_date=max(due_dates) if due_dates else None,
        interviewed=bool(latest),
        exclusions=frozenset(latest[0][0]) if latest else frozenset(),
        needs=frozenset(latest[0][1]) if latest else frozenset(),
        uses=tuple((d, c) for d, c in uses if delivery is None or d >= delivery),
        grants={cap: quantity for kind, _, _, cap, _, quantity in rows if kind == "g"},
    )


@cache
def _facts_sql(backend: type) -> str:
    """``voucher_facts``' statement, composed once per backend."""
    qn = connection.ops.quote_name
    infant, interview = qn(Infant._meta.db_table), qn(Interview._meta.db_table)
    use, grant, voucher_table = (
        qn(Use._meta.db_table),
        qn(Grant._meta.db_table),
        qn(Voucher._meta.db_table),
    )
    return " UNION ALL ".join(
        [
            _branch("f", (qn("birth_date"), qn("due_date")))
            + f" FROM {infant} WHERE {qn('mother_id')} = %s",
            _branch("i", texts=(qn("exclusions_found"), qn("needs_found")))
            + f" FROM (SELECT {qn('exclusions_found')}, {qn('needs_found')} FROM {interview}"
            f" WHERE {qn('application_id')} = %s"
            f" ORDER BY {qn('conducted_at')} DESC, {qn('id')} DESC LIMIT 1) latest",
            _branch("u", ("u." + qn("day"), "NULL"), ("u." + qn("counted"), "NULL"))
            + f" FROM {use} u JOIN {voucher_table} v ON v.{qn('id')} = u.{qn('voucher_id')}"
            f" WHERE v.{qn('mother_id')} = %s AND u.{qn('status')} = %s",
            _branch("g", texts=(qn("cap"), "NULL"), number=qn("quantity"))
            + f" FROM {grant} WHERE {qn('application_id')} = %s",
        ]
    )


def _counted(rows: Any, rules: RuleSet, day: date | None) -> dict[str, int]:
    """Per cap of ``rules``, the sum of what ``rows`` of (day, counted) counted against it; a
    cap with ``period: fiscal_year`` counts only the fiscal year of ``day``."""
    used: dict[str, int] = {}
    for cap in rules.caps:
        total = 0
        for use_day, counted in rows:
            if cap.period == "fiscal_year" and day and fiscal_year(use_day) != fiscal_year(day):
                continue
            total += counted.get(cap.code, 0)
        used[cap.code] = total
    return used


def used_by_cap(*, voucher: Voucher, rules: RuleSet, day: date | None = None) -> dict[str, int]:
    """What the mother's recorded uses since her latest delivery counted against each cap of
    ``rules`` — on this voucher and any other she holds, so a second card starts nowhere.

    A cap with ``period: fiscal_year`` counts only uses in the fiscal year of ``day``.
    """
    uses = Use.objects.filter(voucher__mother_id=voucher.mother_id, status=Use.Status.RECORDED)
    delivery = voucher.mother.delivery_date
    if delivery is not None:
        uses = uses.filter(day__gte=delivery)
    return _counted(list(uses.values_list("day", "counted")), rules, day)


def remaining_by_cap(
    *, voucher: Voucher, rules: RuleSet, day: date, facts: VoucherFacts | None = None
) -> dict[str, dict]:
    """Per cap: its name, unit, limit (the grant where one was made), used and remaining.
    An approval allows nothing on a cap it did not mention (as ``_granted`` tells the rules);
    a usage card, which has no approval, allows the programme's caps.

    With ``facts`` (``voucher_facts``, one query) no further query; without, three at most:
    the mother's infants (unless prefetched), her uses, the grants (unless prefetched)."""
    if facts is not None:
        used = _counted(facts.uses, rules, day)
        grants = facts.grants if voucher.application_id is not None else {}
        infants_born = max(facts.infants_born, 1)
    else:
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


def _granted(voucher: Voucher, rules: RuleSet, grants: dict[str, int]) -> dict[str, int]:
    """What the approval allows per cap; a cap the approval did not mention allows nothing.
    A usage card carries no grants: the programme's caps apply as they are."""
    if voucher.application_id is None:
        return {}
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
    facts: VoucherFacts | None = None,
) -> UseRequest:
    """The rules core's view of one use of ``voucher``: the mother's births, the tier, the
    grants and what was used before, from the database (``voucher_facts``: one query, none
    when ``facts`` are given)."""
    facts = facts or voucher_facts(voucher)
    application = voucher.application
    return UseRequest(
        municipality=voucher.municipality.code,
        service=details.service,
        day=day,
        tier=voucher.tier,
        birth_date=facts.delivery,
        start=_wall_clock(details.start),
        end=_wall_clock(details.end),
        quantity=details.quantity,
        infants=details.infants,
        infants_born=max(facts.infants_born, 1),
        facility=facility_slug,
        fee=details.fee,
        extras=details.extras,
        used=tuple(sorted(_counted(facts.uses, rules, day).items())),
        granted=tuple(sorted(_granted(voucher, rules, facts.grants).items())),
        mother_present=details.mother_present,
        exclusions=facts.exclusions,
        needs=facts.needs if facts.interviewed else None,
        own_patient=details.own_patient,
        residence=application.residence if application else "resident",
        due_date=facts.due_date,
    )
