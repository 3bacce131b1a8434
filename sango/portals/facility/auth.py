"""Who may enter the facility portal: the staff of a facility (one account, every municipality
the facility contracts with). What they see inside is narrowed by ``sango.accounts.access``
to their facility: another facility's voucher, booking, use or claim is simply not found."""

from __future__ import annotations

from sango.portals.common.auth import door


def is_facility_member(user) -> bool:
    return (
        user.is_authenticated and user.role == user.Role.FACILITY and user.facility_id is not None
    )


facility_required = door(is_facility_member, "facility:login", "このページは施設の職員用です。")
