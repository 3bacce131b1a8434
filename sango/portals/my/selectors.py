"""What マイページ reads for a mother: her own record and cases, always through
``sango.accounts.access`` so that nothing of another mother can be reached."""

from __future__ import annotations

from typing import Any

from sango.accounts.access import applications_visible_to, vouchers_visible_to
from sango.mothers.models import Mother


def mother_of(user: Any) -> Mother | None:
    """Her record, or None before she has given her details."""
    return (
        Mother.objects.filter(user=user)
        .select_related("municipality")
        .prefetch_related("infants")
        .first()
    )


def overview(user: Any) -> dict[str, Any]:
    """The first page: her record, her applications (newest first) and her vouchers."""
    mother = mother_of(user)
    applications = list(
        applications_visible_to(user).select_related("municipality").order_by("-created_at")[:20]
    )
    vouchers = list(
        vouchers_visible_to(user).select_related("municipality").order_by("-issued_at")[:10]
    )
    return {"mother": mother, "applications": applications, "vouchers": vouchers}
