"""Who may call an endpoint, by role. Which *objects* they may touch is decided elsewhere: every
endpoint starts from the querysets of ``sango.accounts.access``, so another municipality's,
facility's or mother's id is simply not found (404).

A role check comes first, so a mother calling a staff action gets 403 whatever the id.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from sango.accounts.models import User

Role = User.Role
ADMIN = "admin"


def role_of(user: Any) -> str | None:
    """The user's role for the API; a superuser counts as a system administrator, and a staff
    or facility account without its municipality or facility counts as nobody."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser or user.role == Role.ADMIN:
        return ADMIN
    if user.role in (Role.CLERK, Role.APPROVER) and user.municipality_id is None:
        return None
    if user.role == Role.FACILITY and user.facility_id is None:
        return None
    return user.role


class RolePermission(BasePermission):
    """Allows the roles in ``roles``; subclasses name them and say who may in ``message``."""

    roles: tuple[str, ...] = ()
    message = _("この操作を行う権限がありません。")

    def has_permission(self, request: Any, view: Any) -> bool:
        return role_of(request.user) in self.roles


class IsMunicipalStaff(RolePermission):
    roles = (Role.CLERK, Role.APPROVER)
    message = _("市町村の職員だけが行えます。")


class IsApprover(RolePermission):
    roles = (Role.APPROVER,)
    message = _("市町村の決裁者だけが行えます。")


class IsFacilityStaff(RolePermission):
    roles = (Role.FACILITY,)
    message = _("施設の職員だけが行えます。")


class IsMunicipalStaffOrMother(RolePermission):
    roles = (Role.CLERK, Role.APPROVER, Role.MOTHER)
    message = _("市町村の職員かご本人だけが行えます。")


class IsMunicipalOrFacilityStaff(RolePermission):
    roles = (Role.CLERK, Role.APPROVER, Role.FACILITY)
    message = _("市町村か施設の職員だけが行えます。")


class MayVerifyVouchers(RolePermission):
    """利用券の確認: facility and municipal staff, and system administrators."""

    roles = (Role.CLERK, Role.APPROVER, Role.FACILITY, ADMIN)
    message = _("利用券の確認は施設か市町村の職員が行います。")


class MayQuote(RolePermission):
    roles = (Role.CLERK, Role.APPROVER, Role.FACILITY, Role.MOTHER)
    message = _("この操作を行う権限がありません。")


class MayReadAudit(RolePermission):
    roles = (Role.CLERK, Role.APPROVER, ADMIN)
    message = _("監査記録は市町村の職員とシステム管理者だけが見られます。")


def sees_mother_names(user: Any) -> bool:
    """Whether a voucher check may show the mother's name: facility and municipal staff."""
    return role_of(user) in (Role.CLERK, Role.APPROVER, Role.FACILITY)
