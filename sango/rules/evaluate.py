"""Judge one use under the version in force on its day of service.

``evaluate`` is a pure function: the same programme and request always give the same ``Result``.
Steps: find the version → resolve the service (sub-type by duration) and quantity → eligibility
(person, service, facility) → caps → money.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from sango.rules import schema as s
from sango.rules.caps import count_use, prior_uses
from sango.rules.eligibility import Verdict, check_facility, check_person, check_service
from sango.rules.errors import RequestError
from sango.rules.messages import Message, message
from sango.rules.money import Charge, Payment, fund
from sango.rules.program import Program, RuleSet
from sango.rules.request import UseRequest, check_request


@dataclass(slots=True)
class Result:
    """The judgement of one use. Money in integer yen; quantities in each cap's unit.

    Treat it as read-only: batches share one Result among identical uses. (Not declared frozen
    because a frozen dataclass is markedly slower to build, and batches build many.)"""

    eligible: bool
    reasons: tuple[Message, ...]
    service: str
    quantity: int
    version: date | None
    counted: dict[str, int]
    remaining: dict[str, int]
    fee: int | None  # yen per unit that was used for the calculation
    subsidy: int
    copay: int | None  # None when no fee is known for an ineligible use
    funding: tuple[Payment, ...]
    extras: int
    notices: tuple[Message, ...]
    explanation: tuple[tuple[str, str, str | None], ...] = field(default=())

    def as_dict(self, lang: str = "ja", program: Program | None = None) -> dict:
        """The JSON shape of ``sango quote`` (see docs/quote.md)."""
        mother_pays = None if self.copay is None else self.copay + self.extras
        return {
            "eligible": self.eligible,
            "reasons": [r.as_dict(lang) for r in self.reasons],
            "service": self.service,
            "quantity": self.quantity,
            "version": self.version.isoformat() if self.version else None,
            "counted": self.counted,
            "remaining": self.remaining,
            "fee": self.fee,
            "subsidy": self.subsidy,
            "copay": self.copay,
            "extras": self.extras,
            "mother_pays": mother_pays,
            "funding": [{"source": p.source, "amount": p.amount} for p in self.funding],
            "notices": [n.as_dict(lang) for n in self.notices],
            "explanation": [
                {
                    "rule": rule,
                    "detail": detail,
                    "ref": program.source_title(ref) if program else ref,
                }
                for rule, detail, ref in self.explanation
            ],
        }


def evaluate(program: Program, request: UseRequest, *, explain: bool = True) -> Result:
    """Judge ``request`` under ``program``. Raises ``RequestError`` for a request it cannot read."""
    check_request(request)
    rules = program.version_on(request.day)
    if rules is None:
        reason = message("no_rules", day=request.day, name=program.name)
        return Result(False, (reason,), request.service, 0, None, {}, {}, None, 0, None, (), 0, ())
    verdict = Verdict(explain)
    if explain:
        verdict.note("version", f"{rules.effective_from}から適用", rules.ref)
    if request.tier not in rules.tier_codes:
        raise RequestError("tier", f"区分は {', '.join(rules.tier_codes)} のいずれかです")
    service, code = _resolve_service(rules, request, verdict)
    quantity = _quantity(service, request)
    check_person(rules, program, request, verdict)
    check_service(service, rules, request, verdict)
    facility = check_facility(program, rules, service, code, request, verdict)
    _check_schedule(service, request, verdict)
    hours = _whole_hours(service, request) if request.start is not None else None
    tally = count_use(rules, service, code, quantity, hours, request, verdict)
    verdict.notices.extend(rules.assumption_notices)
    fee = _fee(rules, facility, service, code, request, verdict)
    eligible = not verdict.reasons
    if not eligible:
        copay = None if fee is None else fee * quantity
        return Result(
            False,
            tuple(verdict.reasons),
            code,
            quantity,
            rules.effective_from,
            {},
            tally.before,
            fee,
            0,
            copay,
            (),
            request.extras,
            tuple(verdict.notices),
            tuple(verdict.lines),
        )
    if fee is None:
        raise RequestError(
            "fee", "この施設の料金が分からないため、fee（1単位あたりの料金・円）を書いてください"
        )
    over = tally.over_units
    verdict.notices.extend(tally.notices)
    prior = prior_uses(rules, request)
    charge = Charge(
        code=code,
        parent=service.code,
        tier=request.tier,
        fee=fee,
        quantity=quantity - over,
        infants=max(request.infants, 1),
        infant_fee=_infant_fee(rules, facility, code, service, request),
        nth=request.nth or 1 + prior.get(service.code, 0),
        nth_any=request.nth or 1 + sum(prior.values()),
        day=request.day,
    )
    payments, copay = fund(rules.money, charge)
    copay += fee * over  # units beyond a full_fee cap: the mother pays the whole fee
    for p in payments if explain else ():
        verdict.note(f"funding:{p.source}", f"{p.name} {p.amount}円", p.ref)
    if rules.money.extras_note and request.extras:
        verdict.notices.append(message("extras_not_subsidised", note=rules.money.extras_note))
    return Result(
        True,
        (),
        code,
        quantity,
        rules.effective_from,
        tally.counted,
        tally.after,
        fee,
        sum(p.amount for p in payments),
        copay,
        _merge(payments),
        request.extras,
        tuple(verdict.notices),
        tuple(verdict.lines),
    )


def _resolve_service(
    rules: RuleSet, request: UseRequest, verdict: Verdict
) -> tuple[s.Service, str]:
    """The service and the code counted: a sub-type is chosen by the duration when not given."""
    code = request.service
    if code in rules.subtypes:
        service, subtype = rules.subtypes[code]
        if request.start is not None and not _fits(subtype.duration, _hours(request)):
            verdict.reasons.append(
                message(
                    "duration_outside_subtype",
                    service=subtype.name,
                    limits=_limits(subtype.duration),
                    hours=f"{_hours(request):g}",
                )
            )
        return service, code
    service = rules.services.get(code)
    if service is None:
        known = ", ".join([*rules.services, *rules.subtypes])
        raise RequestError(
            "service", f"{rules.effective_from}からの制度にないサービスです（{known}）"
        )
    if not service.subtypes:
        return service, code
    if request.start is None:
        raise RequestError(
            "start", f"{service.name}は利用時間で区分が決まります: start と end を書いてください"
        )
    hours = _hours(request)
    for subtype in service.subtypes:
        if _fits(subtype.duration, hours):
            if verdict.explain:
                verdict.note("subtype", f"{hours:g}時間 → {subtype.name}", service.ref)
            return service, subtype.code
    raise RequestError("end", f"{hours:g}時間の{service.name}に当たる区分がありません")


def _hours(request: UseRequest) -> float:
    return (request.end - request.start).total_seconds() / 3600


def _fits(duration: s.Duration, hours: float) -> bool:
    return (duration.over_hours is None or hours > duration.over_hours) and (
        duration.up_to_hours is None or hours <= duration.up_to_hours
    )


def _limits(duration: s.Duration) -> str:
    parts = []
    if duration.over_hours is not None:
        parts.append(f"{duration.over_hours:g}時間を超え")
    if duration.up_to_hours is not None:
        parts.append(f"{duration.up_to_hours:g}時間以下")
    return "".join(parts)


def _quantity(service: s.Service, request: UseRequest) -> int:
    """Quantity in the service's unit: from start/end when given (1泊2日 = 1 night or 2 days)."""
    if request.start is None:
        return request.quantity or 1
    if service.unit == "night":
        derived = (request.end.date() - request.start.date()).days
        if derived < 1:
            raise RequestError("end", "宿泊は翌日以降の退所日時を書いてください")
    elif service.unit == "day":
        derived = (request.end.date() - request.start.date()).days + 1
    elif service.unit == "hour":
        derived = _whole_hours(service, request)
    else:
        derived = 1
    if request.quantity is not None and request.quantity != derived:
        raise RequestError(
            "quantity", f"start と end からは {derived} になります（{request.quantity} と違います）"
        )
    return derived


def _whole_hours(service: s.Service, request: UseRequest) -> int:
    hours = _hours(request)
    # Hours are counted in whole hours; the programme says whether a part hour counts (up) or not.
    return max(1, math.ceil(hours - 1e-9) if service.hour_rounding == "up" else int(hours))


def _check_schedule(service: s.Service, request: UseRequest, verdict: Verdict) -> None:
    schedule = service.schedule
    if schedule is None or request.start is None:
        return
    if request.start.time() < schedule.check_in or request.end.time() > schedule.check_out:
        verdict.notices.append(
            message(
                "outside_schedule",
                check_in=schedule.check_in.strftime("%H:%M"),
                check_out=schedule.check_out.strftime("%H:%M"),
            )
        )


def _fee(
    rules: RuleSet,
    facility: s.Facility | None,
    service: s.Service,
    code: str,
    request: UseRequest,
    verdict: Verdict,
) -> int | None:
    """Yen per unit: the programme's base fee, else the request's, else the facility's contract.

    A contract's or base fee is for a mother and one infant; each further infant adds its fee.
    """
    money = rules.money
    extra = max(request.infants - 1, 0)
    if money.fee_basis == "programme":
        if request.fee is not None:
            verdict.notices.append(message("programme_fee_used"))
        base = money.base_fees.get(code, money.base_fees.get(service.code))
        if base is None:
            return None
        infant = money.base_additional_infant_fees
        return base + extra * infant.get(code, infant.get(service.code, 0))
    if request.fee is not None:
        return request.fee
    contract = _contract_service(facility, code, service)
    if contract is not None and contract.fee is not None:
        if facility.sample:
            verdict.notices.append(message("sample_fee", facility=facility.name))
        return contract.fee + extra * (contract.additional_infant_fee or 0)
    return None


def _contract_service(
    facility: s.Facility | None, code: str, service: s.Service
) -> s.ContractService | None:
    if facility is None:
        return None
    return facility.services.get(code) or facility.services.get(service.code)


def _infant_fee(
    rules: RuleSet,
    facility: s.Facility | None,
    code: str,
    service: s.Service,
    request: UseRequest,
) -> int | None:
    """Yen per additional infant per unit, for a layer that makes multiple births free."""
    if request.infant_fee is not None:
        return request.infant_fee
    if rules.money.fee_basis == "programme":
        infant = rules.money.base_additional_infant_fees
        return infant.get(code, infant.get(service.code))
    contract = _contract_service(facility, code, service)
    return contract.additional_infant_fee if contract is not None else None


def _merge(payments: list[Payment]) -> tuple[Payment, ...]:
    """One line per funding source, in the order the sources first paid."""
    merged: dict[str, Payment] = {}
    for p in payments:
        if p.source in merged:
            old = merged[p.source]
            merged[p.source] = Payment(p.source, old.name, old.amount + p.amount, old.ref)
        else:
            merged[p.source] = p
    return tuple(merged.values())
