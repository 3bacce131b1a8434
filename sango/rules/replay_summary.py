"""The figures of a what-if (試算): past uses replayed under a draft, summed for people to read.

Plain Python over plain tuples: one dictionary update per use, the tables derived at the end.
Money in integer yen. What the uses cannot tell is part of the result, not hidden: a mother
refused at the time left no use behind, so a widened cap or window shows only as headroom for
the mothers who had used everything the programme allowed.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from sango.rules.batch import without_cycle_collection
from sango.rules.evaluate import Result
from sango.rules.messages import UNIT_NAMES, Message
from sango.rules.program import Program
from sango.rules.replay import Outcome, PastUse, Replayer

# Which reasons are about a cap or a window, and the value that names it in the programme's words.
_CAP_REASONS = ("cap_reached", "not_granted", "grant_above_cap")
_WINDOW_REASONS = ("outside_window", "outside_service_window", "outside_facility_window")


@dataclass(slots=True)
class Sums:
    """Uses, units and money (yen) of one row: as paid, and as the draft would have paid."""

    uses: int = 0
    units: int = 0
    refused: int = 0
    subsidy_paid: int = 0
    subsidy_draft: int = 0
    copay_paid: int = 0
    copay_draft: int = 0

    @property
    def subsidy_change(self) -> int:
        return self.subsidy_draft - self.subsidy_paid

    @property
    def copay_change(self) -> int:
        return self.copay_draft - self.copay_paid

    def add(self, other: Sums) -> None:
        for name in self.__slots__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass(frozen=True, slots=True)
class Row:
    code: str
    name: str  # in the programme's words
    unit: str  # 泊, 日, 回 … ('' for a tier)
    sums: Sums


@dataclass(slots=True)
class Reason:
    """Refusals under the draft grouped by what refused them. ``kind`` is cap, window or other;
    ``words`` names the cap or window as the programme does (or is the whole reason)."""

    kind: str
    words: str
    uses: int = 0
    mothers: set = field(default_factory=set)

    @property
    def mother_count(self) -> int:
        return len(self.mothers)


@dataclass(frozen=True, slots=True)
class Headroom:
    """Mothers who had used all that a cap allowed and whom the draft's cap would allow more."""

    cap: str
    name: str
    unit: str
    mothers: int
    units: int  # what the draft would still have allowed them, together


@dataclass(frozen=True)
class Summary:
    by_service: tuple[Row, ...]
    by_tier: tuple[Row, ...]
    total: Sums
    mothers: int  # mothers with a use in the period
    mothers_refused: int  # of whom at least one use the draft refuses
    mothers_pay_less: int  # not refused, and their copay goes down
    mothers_pay_more: int  # not refused, and their copay goes up
    reasons: tuple[Reason, ...]
    headroom: tuple[Headroom, ...]
    replayed: int  # uses judged, counting earlier ones read only for the caps


def replay(draft: Program, actual: Program | None, uses: Iterable[PastUse]) -> Summary:
    """Replay ``uses`` (in date order) under ``draft`` and sum the reported ones."""
    replayer = Replayer(draft, actual)
    judge = replayer.judge
    cells: dict[tuple[str, str], list[int]] = {}
    mothers: dict[Hashable, int] = {}  # copay under the draft less copay paid, yen
    refused: set[Hashable] = set()
    reasons: dict[tuple[str, str], Reason] = {}
    replayed = 0
    with without_cycle_collection():
        for use in uses:
            replayed += 1
            outcome = judge(use)
            if not use.reported:
                continue
            cell = cells.get((use.service, use.tier))
            if cell is None:
                cell = cells[(use.service, use.tier)] = [0] * 7
            cell[0] += 1
            cell[1] += use.quantity
            cell[2] += use.subsidy
            cell[3] += outcome.subsidy
            cell[4] += use.copay
            cell[5] += outcome.copay
            mothers[use.mother] = mothers.get(use.mother, 0) + outcome.copay - use.copay
            if not outcome.eligible:
                cell[6] += 1
                refused.add(use.mother)
                _count_reasons(reasons, outcome, use.mother)
    by_service, by_tier, total = _tables(draft, actual, cells)
    kept = [change for mother, change in mothers.items() if mother not in refused]
    return Summary(
        by_service=by_service,
        by_tier=by_tier,
        total=total,
        mothers=len(mothers),
        mothers_refused=len(refused),
        mothers_pay_less=sum(1 for change in kept if change < 0),
        mothers_pay_more=sum(1 for change in kept if change > 0),
        reasons=tuple(sorted(reasons.values(), key=lambda r: (-r.uses, r.words))),
        headroom=_headroom(replayer, draft),
        replayed=replayed,
    )


def _count_reasons(reasons: dict, outcome: Outcome | Result, mother: Hashable) -> None:
    for reason in outcome.reasons:
        key = _reason_key(reason)
        found = reasons.get(key)
        if found is None:
            found = reasons[key] = Reason(*key)
        found.uses += 1
        found.mothers.add(mother)


def _reason_key(reason: Message) -> tuple[str, str]:
    """A reason without what differs from use to use (the last day, what was left)."""
    values = dict(reason.values)
    if reason.code in _CAP_REASONS:
        return ("cap", values["cap"])
    if reason.code in _WINDOW_REASONS:
        words = "".join(values.get(k, "") for k in ("facility", "service"))
        return ("window", f"{words} {values['window']}".strip())
    return ("other", reason.render())


def _tables(
    draft: Program, actual: Program | None, cells: dict[tuple[str, str], list[int]]
) -> tuple[tuple[Row, ...], tuple[Row, ...], Sums]:
    services: dict[str, Sums] = {}
    tiers: dict[str, Sums] = {}
    total = Sums()
    for (service, tier), cell in cells.items():
        sums = Sums(cell[0], cell[1], cell[6], cell[2], cell[3], cell[4], cell[5])
        services.setdefault(service, Sums()).add(sums)
        tiers.setdefault(tier, Sums()).add(sums)
        total.add(sums)
    programs = [p for p in (draft, actual) if p is not None]
    service_names, tier_names = _names(programs)
    order = list(service_names)
    by_service = tuple(
        Row(code, *service_names.get(code, (code, "")), sums)
        for code, sums in sorted(services.items(), key=lambda item: _position(order, item[0]))
    )
    tier_order = list(tier_names)
    by_tier = tuple(
        Row(code, tier_names.get(code, code), "", sums)
        for code, sums in sorted(tiers.items(), key=lambda item: _position(tier_order, item[0]))
    )
    return by_service, by_tier, total


def _position(order: list[str], code: str) -> tuple[int, str]:
    return (order.index(code) if code in order else len(order), code)


def _names(programs: list[Program]) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """Service (and sub-type) names with their unit, and tier names, as the programmes write
    them: the draft's latest version first, then older versions and the actual programme."""
    services: dict[str, tuple[str, str]] = {}
    tiers: dict[str, str] = {}
    for program in programs:
        for rules in reversed(program.versions):
            for service in rules.services.values():
                unit = UNIT_NAMES[service.unit][0]
                services.setdefault(service.code, (service.name, unit))
                for sub in service.subtypes:
                    services.setdefault(sub.code, (f"{service.name} {sub.name}", unit))
            for tier in rules.money.tiers:
                tiers.setdefault(tier.code, tier.name)
    return services, tiers


def _headroom(replayer: Replayer, draft: Program) -> tuple[Headroom, ...]:
    """Per cap: mothers whose uses reached the cap they had and whom the draft allows more,
    judged at each one's latest use in the period."""
    found: dict[str, list[int]] = {}
    for person in replayer.people.values():
        use = person.last
        if use is None:
            continue
        had, allowed = replayer.limits(use)
        for code, amount in replayer.counted_for(person).items():
            if code in had and amount >= had[code] and allowed.get(code, 0) > amount:
                counts = found.setdefault(code, [0, 0])
                counts[0] += 1
                counts[1] += allowed[code] - amount
    caps = {}
    for rules in reversed(draft.versions):
        for cap in rules.caps:
            caps.setdefault(cap.code, cap)
    return tuple(
        Headroom(code, caps[code].name, UNIT_NAMES[caps[code].unit][0], n, units)
        for code, (n, units) in sorted(found.items())
    )
