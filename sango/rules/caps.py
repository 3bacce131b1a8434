"""Counting a use against caps (利用上限): per service, pooled, per sub-type family, in hours,
extended for multiple births or by approval, refused or paid in full beyond the cap."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from sango.rules import schema as s
from sango.rules.eligibility import Verdict
from sango.rules.errors import RequestError
from sango.rules.messages import UNIT_NAMES, message
from sango.rules.program import RuleSet
from sango.rules.request import UseRequest

USE_LIKE = ("use", "visit", "session")


@dataclass(frozen=True, slots=True)
class Count:
    """What a use does to the caps: quantities counted, remaining before and after it, and the
    service units beyond a ``full_fee`` cap (the mother pays those in full)."""

    counted: dict[str, int]
    before: dict[str, int]
    after: dict[str, int]
    over_units: int
    notices: tuple  # said only when the use is eligible (units paid in full)


def prior_uses(rules: RuleSet, request: UseRequest) -> dict[str, int]:
    """Earlier uses per service: ``prior_uses`` when given, else ``used`` of services counted in
    uses (visits, sessions); a stay's nights say nothing about how many stays there were."""
    prior: dict[str, int] = {}
    for code, count in request.used:
        parent = rules.parent_code(code)
        service = rules.services.get(parent)
        if service is not None and service.unit in USE_LIKE:
            prior[parent] = prior.get(parent, 0) + count
    given: dict[str, int] = {}
    for code, count in request.prior_uses:
        if not rules.knows(code):
            raise RequestError(f"prior_uses.{code}", "サービスのコードではありません")
        parent = rules.parent_code(code)
        given[parent] = given.get(parent, 0) + count
    return {**prior, **given}  # what the request states overrides what ``used`` implies


def count_use(
    rules: RuleSet,
    service: s.Service,
    code: str,
    quantity: int,
    hours: int | None,
    request: UseRequest,
    verdict: Verdict,
) -> Count:
    """Count this use against every cap its service (or sub-type) belongs to."""
    counted: dict[str, int] = {}
    before_all: dict[str, int] = {}
    after: dict[str, int] = {}
    over_units = 0
    notices = []
    used = dict(request.used)
    granted = dict(request.granted)
    prior = prior_uses(rules, request) if request.prior_uses else None
    for link in rules.cap_links.get(code, ()):
        cap = link.cap
        amount = measure(cap, service, quantity, 1, hours) * link.weight
        limit = _limit(cap, request, granted, verdict)
        before = max(limit - _used_in(rules, cap, used, prior), 0)
        before_all[cap.code] = before
        unit_ja, unit_en = UNIT_NAMES[counting_unit(cap, service)]
        if verdict.explain:
            detail = f"{cap.name} 上限{limit}{unit_ja} 残り{before}{unit_ja}"
            verdict.note(f"cap:{cap.code}", detail, cap.ref)
        if amount <= before:
            counted[cap.code], after[cap.code] = amount, before - amount
        elif granted.get(cap.code) == 0:
            verdict.reasons.append(message("not_granted", cap=cap.name))
            after[cap.code] = 0
        elif cap.beyond == "refuse":
            verdict.reasons.append(
                message(
                    "cap_reached",
                    cap=cap.name,
                    remaining=before,
                    counted=amount,
                    unit=unit_ja,
                    unit_en=unit_en,
                )
            )
            after[cap.code] = before
        else:
            # Units of the service beyond the cap: a cap counted per use is all-or-nothing.
            per_unit = amount / quantity
            units = min(quantity, math.ceil((amount - before) / per_unit - 1e-9))
            over_units = max(over_units, units)
            notices.append(
                message(
                    "beyond_cap_full_fee",
                    cap=cap.name,
                    over=units,
                    unit=UNIT_NAMES[service.unit][0],
                    unit_en=UNIT_NAMES[service.unit][1],
                )
            )
            counted[cap.code], after[cap.code] = before, 0
    return Count(counted, before_all, after, over_units, tuple(notices))


def _limit(cap: s.Cap, request: UseRequest, granted: Mapping[str, int], verdict: Verdict) -> int:
    """The cap for this mother: extended per additional infant born, or what was granted."""
    born = request.infants_born or request.infants
    limit = cap.limit + cap.per_additional_infant * max(born - 1, 0)
    ceiling = max(limit, cap.extension or 0)
    if cap.code not in granted:
        return limit
    if granted[cap.code] > ceiling:
        verdict.reasons.append(
            message(
                "grant_above_cap",
                cap=cap.name,
                granted=granted[cap.code],
                limit=ceiling,
                unit=UNIT_NAMES[cap.unit][0],
            )
        )
    return min(granted[cap.code], ceiling)


def counting_unit(cap: s.Cap, service: s.Service) -> str:
    """The unit a use of ``service`` is counted in against ``cap``, for the words said about it.

    The cap's own unit where ``measure`` converts into it (uses, hours, 1泊2日 as two days);
    otherwise a use counts in the service's units (a day of day care against a cap written in
    nights), and 「残りは0泊」 would be wrong for day care: the service's unit is the word.
    """
    if cap.unit == service.unit or cap.unit in USE_LIKE or cap.unit == "hour":
        return cap.unit
    if cap.unit == "day" and service.unit == "night":
        return cap.unit
    return service.unit


def measure(cap: s.Cap, service: s.Service, units: int, uses: int, hours: int | None) -> int:
    """``units`` of ``service`` over ``uses`` uses, in the cap's unit (uses, hours, days)."""
    if cap.unit == service.unit:
        return units
    if cap.unit in USE_LIKE:
        return uses
    if cap.unit == "hour":
        if hours is None:
            raise RequestError(
                "start", f"{cap.name}は時間で数えます: start と end を書いてください"
            )
        return hours
    if cap.unit == "day" and service.unit == "night":
        return units + uses  # 1泊2日 counts two days where a programme counts stays in days
    return units


def _used_in(rules: RuleSet, cap: s.Cap, used: dict[str, int], prior: dict[str, int] | None) -> int:
    """What was used before, in the cap's unit: given by the cap's own code (exact), or by
    service codes converted with ``prior_uses`` (without it, units are taken as they are)."""
    if cap.code in used and not rules.knows(cap.code):
        return used[cap.code]
    members = set(cap.services)
    cap_codes = {c.code for c in rules.caps}
    total = 0
    for code, count in used.items():
        parent = rules.parent_code(code)
        if (
            code in members
            or parent in members
            or (
                code in rules.services
                and any(sub.code in members for sub in rules.services[code].subtypes)
            )
        ):
            weight = cap.weights.get(code, cap.weights.get(parent, 1))
            if prior is None or cap.unit == "hour":
                converted = count
            else:
                converted = measure(cap, rules.services[parent], count, prior.get(parent, 0), None)
            total += converted * weight
        elif not rules.knows(code) and code not in cap_codes:
            raise RequestError(f"used.{code}", "サービスまたは上限のコードではありません")
    return total
