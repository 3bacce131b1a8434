"""Who may act on whose behalf: the check every writing service makes of its actor, beside the
read rules in ``access.py`` (an API or a view calling a service is not trusted to have checked)."""

from __future__ import annotations

from typing import Any

from sango.core.errors import ServiceError


def acts_for(
    actor: Any,
    *,
    municipality_id: int | None = None,
    facility_id: int | None = None,
    mother: Any = None,
) -> bool:
    """True when ``actor`` is a system administrator, municipal staff of ``municipality_id``,
    staff of ``facility_id``, or ``mother`` herself — whichever of these are given."""
    if actor.is_superuser or actor.role == actor.Role.ADMIN:
        return True
    if municipality_id is not None and actor.is_municipal_staff:
        return actor.municipality_id == municipality_id
    if facility_id is not None and actor.role == actor.Role.FACILITY:
        return actor.facility_id == facility_id
    return mother is not None and mother.user_id is not None and mother.user_id == actor.pk


def require_acts_for(actor: Any, message: str, **scope: Any) -> None:
    """Raise a ``forbidden`` ServiceError with ``message`` unless ``acts_for(actor, **scope)``."""
    if not acts_for(actor, **scope):
        raise ServiceError(message, code="forbidden")


def require_approver(
    actor: Any, municipality_id: int, message: str = "決定は市町村の決裁者が行います。"
) -> None:
    """Decisions (承認・不承認・支給決定・請求の確定) are an approver's of that municipality."""
    if not (actor.is_approver and actor.municipality_id == municipality_id):
        raise ServiceError(message, code="forbidden")
