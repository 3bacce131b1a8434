"""Who may use a service on a given day: the programme's, the service's and the facility's rules.

Each check appends reasons (why not) and notices (what to know) to a ``Verdict``; none stops at
the first failure, because a clerk needs every reason at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sango.rules import schema as s
from sango.rules.messages import Message, message
from sango.rules.program import Program, RuleSet
from sango.rules.request import UseRequest
from sango.rules.windows import Window

NEED_ASSESSED = message("need_assessed")


@dataclass(slots=True)
class Verdict:
    """What the checks found. ``explain`` collects (rule, detail, ref) lines when asked for."""

    explain: bool
    reasons: list[Message] = field(default_factory=list)
    notices: list[Message] = field(default_factory=list)
    lines: list[tuple[str, str, str | None]] = field(default_factory=list)

    def note(self, rule: str, detail: str, ref: str | None) -> None:
        if self.explain:
            self.lines.append((rule, detail, ref))


def check_person(rules: RuleSet, program: Program, request: UseRequest, verdict: Verdict) -> None:
    """Residence, household, who is present, exclusions, need and the programme's window."""
    elig = rules.eligibility
    residence = elig.residence
    if request.residence == "non_resident" or (
        request.residence == "resident" and not residence.resident
    ):
        verdict.reasons.append(message("not_resident", name=program.name))
    elif request.residence == "temporary_return":
        if residence.temporary_return:
            if residence.temporary_return_tier == "home_municipality":
                verdict.notices.append(message("temporary_return_tier"))
        else:
            verdict.reasons.append(message("temporary_return_not_accepted"))
    verdict.note("residence", request.residence, elig.ref)
    if elig.no_tax_arrears and request.tax_arrears:
        verdict.reasons.append(message("tax_arrears"))
    if not request.mother_present and not elig.infant_alone:
        verdict.reasons.append(message("infant_alone"))
    if request.mother_present and request.infants == 0 and not elig.mother_alone:
        verdict.reasons.append(message("mother_alone_not_accepted"))
    if request.pregnancy_loss and not elig.pregnancy_loss:
        verdict.reasons.append(message("pregnancy_loss_not_covered"))
    for exclusion in elig.exclusions:
        if exclusion.code in request.exclusions:
            verdict.reasons.append(message("excluded", label=exclusion.label))
    _check_need(elig, rules, request, verdict)
    _check_window(
        "outside_window",
        elig.postpartum_window,
        window_start(elig, request),
        request.day,
        verdict,
        elig.ref,
        {},
    )


def window_start(elig: s.Eligibility, request: UseRequest) -> date:
    """The day every window counts from: the birth, or the due date where the programme uses
    corrected age and the baby came early."""
    if (
        elig.window_from == "corrected"
        and request.due_date
        and request.due_date > request.birth_date
    ):
        return request.due_date
    return request.birth_date


def _check_need(elig: s.Eligibility, rules: RuleSet, request: UseRequest, verdict: Verdict) -> None:
    if elig.needs.mode == "anyone":
        return
    if request.needs is None:
        if rules.process.mode == "pre_application":
            verdict.notices.append(NEED_ASSESSED)
        return
    known = {c.code for c in elig.needs.conditions}
    if not request.needs & known:
        labels = "、".join(c.label for c in elig.needs.conditions)
        verdict.reasons.append(message("no_need", labels=labels))


def _check_window(
    code: str,
    window: Window,
    start: date,
    day: date,
    verdict: Verdict,
    ref: str | None,
    values: dict[str, str],
) -> None:
    last = window.last_day(start)
    if day > last:
        verdict.reasons.append(
            message(code, window=window.label(), window_en=window.label_en(), last=last, **values)
        )
    if verdict.explain:
        verdict.note(code.removeprefix("outside_"), f"{window.label()}: {last}まで", ref)


def check_service(
    service: s.Service, rules: RuleSet, request: UseRequest, verdict: Verdict
) -> None:
    """The service's own window and whether it may be split into several uses."""
    if service.window is not None:
        values = {"service": service.name}
        _check_window(
            "outside_service_window",
            service.window,
            window_start(rules.eligibility, request),
            request.day,
            verdict,
            service.ref,
            values,
        )
    if not service.split and any(
        rules.parent_code(code) == service.code and count > 0 for code, count in request.used
    ):
        verdict.reasons.append(message("split_not_allowed", service=service.name))


def check_facility(
    program: Program,
    rules: RuleSet,
    service: s.Service,
    code: str,
    request: UseRequest,
    verdict: Verdict,
) -> s.Facility | None:
    """The facility's contract on the day: in force, offers the service, its window, its terms."""
    if request.facility is None:
        return None
    facility = program.facility(request.facility)
    if facility is None:
        verdict.reasons.append(
            message("facility_not_contracted", facility=request.facility, name=program.name)
        )
        return None
    day = request.day
    if (facility.effective_from and day < facility.effective_from) or (
        facility.effective_until and day > facility.effective_until
    ):
        verdict.reasons.append(message("contract_not_in_force", facility=facility.name, day=day))
    offered = facility.services.get(code, facility.services.get(service.code, False))
    if offered is False:
        verdict.reasons.append(
            message("service_not_offered", facility=facility.name, service=service.name)
        )
    elif offered is not None and offered.window is not None:
        values = {"facility": facility.name, "service": service.name}
        _check_window(
            "outside_facility_window",
            offered.window,
            window_start(rules.eligibility, request),
            day,
            verdict,
            facility.ref,
            values,
        )
    if facility.own_patients_only:
        if request.own_patient is False:
            verdict.reasons.append(message("own_patients_only", facility=facility.name))
        elif request.own_patient is None:
            verdict.notices.append(message("own_patient_unknown", facility=facility.name))
    if facility.contact_municipality_first:
        office = _first_office(program, rules)
        verdict.notices.append(
            message("contact_municipality_first", facility=facility.name, office=office)
        )
    verdict.note("facility", facility.name, facility.ref)
    return facility


def _first_office(program: Program, rules: RuleSet) -> str:
    offices = {o.code: o for o in program.document.offices}
    for code in rules.process.offices:
        office = offices[code]
        return f"{office.name}（{office.phone}）"
    return program.name
