"""Who may enter the staff office: municipal staff (clerks, 保健師, approvers), nobody else.

Anonymous visitors are sent to the staff login; a mother or facility account that reaches a
/staff/ address gets 403 (it is not theirs); decisions are for approvers only. What a member of
staff sees inside is still narrowed by ``sango.accounts.access`` (their municipality, and their
office where they are posted to one).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from sango.portals.common.auth import door


def is_staff_member(user) -> bool:
    return user.is_authenticated and user.is_municipal_staff and user.municipality_id is not None


staff_required = door(is_staff_member, "staff:login", "このページは市町村の職員用です。")


def approver_required(view: Callable) -> Callable:
    """Decisions (承認・不承認・支給決定・請求の確定) are an approver's; a clerk gets 403."""

    @wraps(view)
    @staff_required
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_approver:
            raise PermissionDenied("決定は決裁者が行います。")
        return view(request, *args, **kwargs)

    return wrapped
