"""Whether a mother's baby is young enough on each day of a booking: the programme's window,
the service's and the facility's contract window (産後4か月以内 …), judged by the rules core's
own windows and worded with its own messages. Plain Python, no database."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sango.core.wareki import wareki
from sango.rules.eligibility import window_start
from sango.rules.messages import Message, message
from sango.rules.program import Program
from sango.rules.request import UseRequest
from sango.rules.windows import Window


def window_reasons(
    *,
    program: Program,
    facility_slug: str,
    service: str,
    birth_date: date,
    due_date: date | None,
    days: Iterable[date],
) -> list[Message]:
    """Every reason, in the programme's words, why a booking of ``service`` at the facility
    falls outside a postpartum window on one of ``days`` (the first day out of each window;
    empty when every day is inside). Each day is judged under the rules in force on it."""
    reasons: dict[str, Message] = {}
    for day in sorted(days):
        rules = program.version_on(day)
        if rules is None:
            continue
        request = UseRequest(
            municipality=program.code,
            service=service,
            day=day,
            tier="",
            birth_date=birth_date,
            due_date=due_date,
        )
        start = window_start(rules.eligibility, request)
        parent = rules.services.get(rules.parent_code(service))
        checks: list[tuple[str, Window | None, dict[str, str]]] = [
            ("outside_window", rules.eligibility.postpartum_window, {})
        ]
        if parent is not None:
            checks.append(("outside_service_window", parent.window, {"service": parent.name}))
            contract = program.facility(facility_slug)
            if contract is not None:
                offered = contract.services.get(service, contract.services.get(parent.code))
                window = offered.window if offered else None
                values = {"facility": contract.name, "service": parent.name}
                checks.append(("outside_facility_window", window, values))
        for code, window, values in checks:
            if window is None or code in reasons:
                continue
            last = window.last_day(start)
            if day > last:
                reasons[code] = message(
                    code,
                    window=window.label(),
                    window_en=window.label_en(),
                    last=wareki(last),
                    **values,
                )
    return list(reasons.values())
