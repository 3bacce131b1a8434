"""Template context for every staff page: which parts of the menu the programme in force today
uses (pre-application or usage cards), read from the programme document, not hard-coded."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from sango.core.errors import ServiceError
from sango.portals.staff.auth import is_staff_member
from sango.programs.rules_for import rules_on


def staff_menu(request: HttpRequest) -> dict:
    if not request.path.startswith("/staff/") or not is_staff_member(request.user):
        return {}
    try:
        mode = rules_on(request.user.municipality.code, timezone.localdate()).process.mode
    except ServiceError:
        mode = ""
    return {
        "staff_menu": {"applications": mode == "pre_application", "cards": mode == "usage_card"}
    }
