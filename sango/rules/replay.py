"""What-if (試算): past uses judged again under a draft programme, in the order they happened.

A stored use keeps what the rules core decided; a draft asks what it *would* have decided. Each
use is judged under the draft's version in force on its day, with the caps counted as the draft
would have counted them: uses are fed in date order and every mother's running total (per
birth, as ``sango.usage.selectors.used_by_cap`` counts them) grows only by what the draft
counted.

Speed: a million uses must replay in seconds, and almost every use differs from the others only
in its day of service and birth date. Those two matter to ``evaluate`` in two ways only: which
version, funding layers and facility contract are in force on the day, and whether the day lies
inside the postpartum windows. So a use is judged as ``evaluate`` would judge it on a
*representative day* with the same version, layers and contract (and a birth on that day, so no
window can refuse it) — memoised on the few values that can differ — and the windows are then
checked against the real birth date (``replay_windows``). ``tests/test_replay.py`` holds the
two paths equal, use by use, for every programme.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from sango.rules import schema as s
from sango.rules.errors import RequestError
from sango.rules.evaluate import Result, evaluate
from sango.rules.messages import Message, message
from sango.rules.program import Program, RuleSet
from sango.rules.replay_windows import Windows
from sango.rules.request import UseRequest

_MAX_MEMO = 200_000  # canonical judgements kept; a large city's year needs far fewer


class Approval(NamedTuple):
    """What an approval (and its latest interview) tells the rules about a mother."""

    grants: tuple[tuple[str, int], ...] = ()  # per cap, sorted
    needs: frozenset[str] | None = None
    exclusions: frozenset[str] = frozenset()
    residence: str = "resident"


class PastUse(NamedTuple):
    """One stored use as the replay reads it. Money in integer yen; ``fee`` per unit as charged.

    ``approval`` is None for a usage card, which has no approval and no grants; ``reported`` is
    False for an earlier use that only counts towards the caps of a use inside the period.
    """

    mother: Hashable
    day: date
    service: str  # the code the use was counted under (a sub-type where there is one)
    quantity: int
    tier: str
    fee: int
    birth_date: date
    subsidy: int  # what was paid
    copay: int
    start: datetime | None = None  # wall-clock time at the facility
    end: datetime | None = None
    infants: int = 1
    infants_born: int = 1
    facility: str | None = None
    due_date: date | None = None
    approval: Approval | None = None
    reported: bool = True


class Outcome(NamedTuple):
    """A use the draft refuses: every reason, and what the mother would then pay (yen).

    An eligible use is answered with the rules core's own ``Result``, which has the same
    ``eligible``, ``reasons``, ``subsidy``, ``copay`` and ``counted``."""

    eligible: bool
    reasons: tuple[Message, ...]
    subsidy: int
    copay: int
    counted: dict[str, int]


class _Day(NamedTuple):
    """What a day of service at a facility decides: the versions, the representative day with
    the same version, funding layers and contract in force, and that class's number."""

    rules: RuleSet | None
    actual: RuleSet | None
    representative: date
    number: int
    caps: tuple[tuple[str, bool], ...]  # the draft version's caps by code, fiscal-year or not


@dataclass(slots=True)
class _Person:
    """A mother's birth: what the draft has counted, and her latest use that was reported.

    The totals live in ``used``, laid out as the request wants them for the caps of
    ``layout`` (and the fiscal year ``fy``); ``counts`` keeps, per cap code (and per cap code
    and fiscal year), the totals of caps from before the layout last changed. The hot loop so
    touches only ``used``; ``totals`` merges the two.
    """

    counts: dict = field(default_factory=dict)
    last: PastUse | None = None
    used: tuple = ()
    layout: tuple = ()
    fy: int = 0

    def totals(self) -> dict:
        merged = dict(self.counts)
        for (code, fiscal), (_code, amount) in zip(self.layout, self.used, strict=True):
            merged[(code, self.fy) if fiscal else code] = amount
        return merged


class Replayer:
    """Judges past uses under ``draft``, one at a time, in date order; keeps each mother's caps.

    ``actual`` is the programme the uses were judged under: it tells which grants were the
    programme's full cap (those follow the draft's cap) and which were deliberately smaller.
    """

    def __init__(self, draft: Program, actual: Program | None = None) -> None:
        self.draft = draft
        self.actual = actual
        self.people: dict[tuple[Hashable, date], _Person] = {}
        self._days: dict[tuple[date, str | None], _Day] = {}
        self._classes: dict[tuple, tuple[date, int]] = {}
        self._memo: dict[tuple, tuple[Result | RequestError, tuple]] = {}
        self._approvals: dict[int, tuple[Approval, int]] = {}
        self._approval_numbers: dict[Approval, int] = {}
        self._grants: dict[tuple, tuple[tuple[str, int], ...]] = {}
        self._times: dict[tuple[int, str], bool] = {}
        self.windows = Windows(draft)
        self._layouts: dict[int, tuple[tuple[str, bool], ...]] = {}
        self._limits: dict[tuple, tuple[dict[str, int], dict[str, int]]] = {}
        self._fiscal = any(cap.period == "fiscal_year" for r in draft.versions for cap in r.caps)

    def judge(self, use: PastUse) -> Result | Outcome:
        """The draft's decision on ``use``, given every earlier use fed to this replayer."""
        # The hot loop of a replay: the use unpacked once, then only dictionary probes.
        (mother, day, service, quantity, tier, fee, birth, _paid, _copay, start, end, infants,
         born, facility, due, approval, reported) = use  # fmt: skip
        found = self._days.get((day, facility))
        if found is None:
            found = self._day(day, facility)
        rules = found.rules
        if rules is None:
            reason = message("no_rules", day=day, name=self.draft.name)
            return Outcome(False, (reason,), 0, fee * quantity, {})
        person = self.people.get((mother, birth))
        if person is None:
            person = self.people[(mother, birth)] = _Person()
        if reported:
            person.last = use
        fy = (day.year if day.month >= 4 else day.year - 1) if self._fiscal else 0
        if person.layout is found.caps and person.fy == fy:
            used = person.used
        else:  # a first use, another version's caps or a new fiscal year
            counts = person.counts = person.totals()
            used = tuple(
                [
                    (code, counts.get((code, fy) if fiscal else code, 0))
                    for code, fiscal in found.caps
                ]
            )
            person.layout, person.fy, person.used = found.caps, fy, used
        if approval is None:
            approval_number = -1
        else:
            kept = self._approvals.get(id(approval))
            approval_number = kept[1] if kept is not None else self._approval_number(approval)
        times = None
        if start is not None and self._needs_times(rules, service):
            times = (start.time(), end - start)
        key = (found.number, service, tier, fee, quantity, infants, born, facility,
               approval_number, times, used)  # fmt: skip
        memo = self._memo.get(key)
        if memo is None:
            memo = self._evaluate(key, self._request(use, found, used, times))
        result, checks, after = memo
        if isinstance(result, RequestError):
            return Outcome(False, (_unreadable(result),), 0, fee * quantity, {})
        deadline = self.windows.deadlines.get((id(checks), birth, due))
        if deadline is None:
            deadline = self.windows.deadline(rules, checks, use)
        if day > deadline:
            return self._refused(use, found, result, self.windows.late(use, rules, checks))
        if not result.eligible:
            return self._refused(use, found, result, ())
        person.used = after
        if self._fiscal:
            # The other total of each cap, for a version that counts it the other way: over
            # the whole entitlement, or per fiscal year (``used`` holds the layout's own).
            counts = person.counts
            for code, amount in result.counted.items():
                other = code if (code, True) in found.caps else (code, fy)
                counts[other] = counts.get(other, 0) + amount
        return result

    def counted_for(self, person: _Person) -> dict[str, int]:
        """What the draft counted for ``person`` by the latest use fed, per cap of its version."""
        return {code: amount for code, amount in person.used}

    def limits(self, use: PastUse) -> tuple[dict[str, int], dict[str, int]]:
        """The caps this mother had on the use's day and those the draft gives her (kept per
        version, approval and infants born: mothers share them)."""
        found = self._days.get((use.day, use.facility)) or self._day(use.day, use.facility)
        key = (found.number, id(found.actual), id(use.approval), use.infants_born)
        hit = self._limits.get(key)
        if hit is None:
            hit = self._limits[key] = (self.limit(use, actual=True), self.limit(use, actual=False))
        return hit

    def limit(self, use: PastUse, *, actual: bool) -> dict[str, int]:
        """Each cap for this mother on the use's day, under the draft or the actual programme:
        the programme's cap (extended per additional infant) or what the approval granted."""
        program = self.actual if actual else self.draft
        rules = program.version_on(use.day) if program else None
        if rules is None:
            return {}
        if use.approval is None:
            return {cap.code: _cap(cap, use) for cap in rules.caps}
        if actual:
            granted = dict(use.approval.grants)
            return {cap.code: granted.get(cap.code, 0) for cap in rules.caps}
        old = self.actual.version_on(use.day) if self.actual else None
        return dict(self._granted(rules, old, use.approval, use.infants_born))

    # --- the canonical request ------------------------------------------------------------

    def _request(self, use: PastUse, found: _Day, used: tuple, times: tuple | None) -> UseRequest:
        day = found.representative
        start = end = None
        quantity: int | None = use.quantity
        if times is not None:
            start = datetime.combine(day, times[0])
            end = start + times[1]
            quantity = None  # derived from start and end, as when it was recorded
        approval = use.approval or Approval()
        granted = (
            ()
            if use.approval is None
            else self._granted(found.rules, found.actual, use.approval, use.infants_born)
        )
        return UseRequest(
            municipality=self.draft.code,
            service=use.service,
            day=day,
            tier=use.tier,
            birth_date=day,  # the windows are checked against the real birth afterwards
            start=start,
            end=end,
            quantity=quantity,
            infants=use.infants,
            infants_born=use.infants_born,
            facility=use.facility,
            fee=use.fee,
            used=used,
            granted=granted,
            needs=approval.needs,
            exclusions=approval.exclusions,
            residence=approval.residence,
        )

    def _evaluate(self, key: tuple, request: UseRequest) -> tuple:
        """The judgement of a canonical request, the windows its use must fall inside, and the
        caps' totals after it (as ``used`` is laid out) when it is eligible."""
        try:
            result: Result | RequestError = evaluate(self.draft, request, explain=False)
        except RequestError as exc:
            result = exc
        rules = self.draft.version_on(request.day)
        checks = self.windows.checks(rules, request.service, request.facility)
        after = request.used
        if isinstance(result, Result) and result.eligible:
            after = tuple((code, n + result.counted.get(code, 0)) for code, n in request.used)
        if len(self._memo) >= _MAX_MEMO:
            self._memo.clear()
        found = self._memo[key] = (result, checks, after)
        return found

    def _approval_number(self, approval: Approval) -> int:
        """A number per distinct approval, so that a memo key holds an int, not the grants.
        The approval is kept so that its ``id`` is never reused while the replay runs."""
        number = self._approval_numbers.setdefault(approval, len(self._approval_numbers))
        self._approvals[id(approval)] = (approval, number)
        return number

    def _day(self, day: date, facility: str | None) -> _Day:
        """The versions in force on ``day`` and a representative day that ``evaluate`` cannot
        tell apart from it (same version, funding layers and contract in force)."""
        rules = self.draft.version_on(day)
        actual = self.actual.version_on(day) if self.actual else None
        if rules is None:
            found = _Day(None, actual, day, -1, ())
        else:
            layers = tuple(
                (layer.valid_from is None or day >= layer.valid_from)
                and (layer.valid_until is None or day <= layer.valid_until)
                for layer in rules.money.funding
            )
            contract = self.draft.facility(facility) if facility else None
            in_force = contract is None or (
                (contract.effective_from is None or day >= contract.effective_from)
                and (contract.effective_until is None or day <= contract.effective_until)
            )
            key = (rules.effective_from, id(actual), layers, facility, in_force)
            representative, number = self._classes.setdefault(key, (day, len(self._classes)))
            caps = self._layouts.get(id(rules))
            if caps is None:
                caps = tuple(sorted((c.code, c.period == "fiscal_year") for c in rules.caps))
                self._layouts[id(rules)] = caps
            found = _Day(rules, actual, representative, number, caps)
        self._days[(day, facility)] = found
        return found

    def _needs_times(self, rules: RuleSet, code: str) -> bool:
        """Whether the start and end change the judgement: a sub-type chosen by duration, a
        service in hours or a cap counted in hours."""
        key = (id(rules), code)
        found = self._times.get(key)
        if found is None:
            service = rules.services.get(rules.parent_code(code))
            found = (
                code in rules.subtypes
                or (service is not None and (service.unit == "hour" or bool(service.subtypes)))
                or any(link.cap.unit == "hour" for link in rules.cap_links.get(code, ()))
            )
            self._times[key] = found
        return found

    def _granted(
        self, rules: RuleSet, actual: RuleSet | None, approval: Approval, born: int
    ) -> tuple[tuple[str, int], ...]:
        """The approval's grants as the draft would have made them.

        An approval grants what the programme allows unless staff granted less. So a grant of
        the actual cap or more follows the draft's cap (an extension beyond the cap is kept,
        within the draft's ceiling); a smaller grant stays as it was; a cap the programme did not
        have is granted in full.
        """
        key = (id(rules), id(actual), approval.grants, born)
        found = self._grants.get(key)
        if found is None:
            given = dict(approval.grants)
            before = {cap.code: cap for cap in actual.caps} if actual else {}
            granted = []
            for cap in sorted(rules.caps, key=lambda c: c.code):
                limit = _limit(cap, born)
                ceiling = max(limit, cap.extension or 0)
                old = before.get(cap.code)
                grant = given.get(cap.code, 0)
                if old is None:
                    grant = limit
                elif grant >= _limit(old, born):
                    grant = min(max(limit, grant), ceiling)
                else:
                    grant = min(grant, ceiling)
                granted.append((cap.code, grant))
            found = self._grants[key] = tuple(granted)
        return found

    # --- refusals ----------------------------------------------------------------------------

    def _refused(
        self, use: PastUse, found: _Day, result: Result, late: tuple[Message, ...]
    ) -> Outcome:
        reasons = _on_day(result.reasons, found.representative, use.day) + late
        if result.eligible:  # refused only by a window: the whole fee is the mother's
            copay = (result.fee if result.fee is not None else use.fee) * result.quantity
        else:
            copay = use.fee * use.quantity if result.copay is None else result.copay
        return Outcome(False, reasons, 0, copay, {})


def reads_times(program: Program) -> bool:
    """Whether any version of ``program`` judges a use by its start and end (a sub-type chosen
    by duration, a service or a cap in hours); if none does, a replay needs only the days."""
    return any(
        service.subtypes or service.unit == "hour"
        for rules in program.versions
        for service in rules.services.values()
    ) or any(cap.unit == "hour" for rules in program.versions for cap in rules.caps)


def _limit(cap: s.Cap, born: int) -> int:
    """The programme's cap for a mother of ``born`` infants: extended per additional infant."""
    return cap.limit + cap.per_additional_infant * max(born - 1, 0)


def _cap(cap: s.Cap, use: PastUse) -> int:
    return _limit(cap, use.infants_born)


def _on_day(reasons: tuple[Message, ...], representative: date, day: date) -> tuple[Message, ...]:
    """Reasons that name the day of service (a contract not in force) name the use's own day."""
    if representative == day:
        return reasons
    shown = str(representative)
    return tuple(
        Message(
            r.code, tuple((k, str(day) if (k, v) == ("day", shown) else v) for k, v in r.values)
        )
        for r in reasons
    )


def _unreadable(error: RequestError) -> Message:
    """A use the draft cannot read (a service it no longer has): refused, in its own words."""
    return message("request_unreadable", message=error.message)
