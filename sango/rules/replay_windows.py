"""The postpartum windows of a what-if replay, checked against each use's real birth date.

``sango.rules.replay`` judges a use on a representative day with a birth on that day, so no
window refuses it there; these are the same three checks as ``sango.rules.eligibility`` makes
(the programme's window, the service's, the facility contract's), with the same messages, run
against the real birth (or due date, for a programme counting corrected age).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sango.rules.eligibility import window_start
from sango.rules.messages import Message, message
from sango.rules.program import Program, RuleSet
from sango.rules.windows import Window

if TYPE_CHECKING:
    from sango.rules.replay import PastUse


class Windows:
    """The windows per version, service and facility, and the last day inside all of them per
    birth: ``deadlines`` is read directly by the replay's hot loop."""

    def __init__(self, draft: Program) -> None:
        self.draft = draft
        self.deadlines: dict[tuple, date] = {}
        self._checks: dict[tuple, tuple] = {}

    def checks(
        self, rules: RuleSet | None, code: str, facility_key: str | None
    ) -> tuple[tuple[str, Window, dict[str, str]], ...]:
        """The windows a use of ``code`` at the facility must fall inside: the programme's, the
        service's and the facility's contract's (as ``sango.rules.eligibility`` checks them)."""
        if rules is None:
            return ()
        checks: list[tuple[str, Window, dict[str, str]]] = [
            ("outside_window", rules.eligibility.postpartum_window, {})
        ]
        service = rules.services.get(rules.parent_code(code))
        if service is not None and service.window is not None:
            checks.append(("outside_service_window", service.window, {"service": service.name}))
        facility = self.draft.facility(facility_key) if facility_key else None
        if facility is not None and service is not None:
            offered = facility.services.get(code, facility.services.get(service.code, False))
            if offered not in (False, None) and offered.window is not None:
                values = {"facility": facility.name, "service": service.name}
                checks.append(("outside_facility_window", offered.window, values))
        # One shared tuple per distinct set of windows: the deadline memo is keyed by its id.
        found = tuple(checks)
        key = tuple((c, w, tuple(v.items())) for c, w, v in found)
        return self._checks.setdefault(key, found)

    def deadline(self, rules: RuleSet, checks: tuple, use: PastUse) -> date:
        """The last day inside every window for this birth (and due date)."""
        begins = window_start(rules.eligibility, use)  # type: ignore[arg-type]
        # No window (none is declared): the day of service is never late.
        deadline = min((w.last_day(begins) for _c, w, _v in checks), default=date.max)
        self.deadlines[(id(checks), use.birth_date, use.due_date)] = deadline
        return deadline

    def late(self, use: PastUse, rules: RuleSet, checks: tuple) -> tuple[Message, ...]:
        """Every window the use's day lies beyond, with the same message as
        ``sango.rules.eligibility`` gives."""
        begins = window_start(rules.eligibility, use)  # type: ignore[arg-type]
        late = []
        for code, window, values in checks:
            last = window.last_day(begins)
            if use.day > last:
                late.append(
                    message(
                        code,
                        window=window.label(),
                        window_en=window.label_en(),
                        last=last,
                        **values,
                    )
                )
        return tuple(late)
