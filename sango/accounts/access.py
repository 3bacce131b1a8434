"""Who may see what. Every view and API endpoint starts from one of these querysets, so an id
that belongs to another municipality, facility or mother is simply not found (404), never shown.

- municipal staff (clerk, approver): everything of their own municipality;
- facility staff: their facility's bookings, uses and claims, and the vouchers presented to
  them (a booking or a use at their facility);
- mothers: their own cases only;
- system administrators: everything.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from sango.accounts.models import User
from sango.applications.models import Application, ChangeRequest
from sango.audit.models import AuditEvent
from sango.billing.models import FacilityClaim
from sango.bookings.models import Booking
from sango.mothers.models import Mother
from sango.reimbursements.models import Reimbursement
from sango.usage.models import Use
from sango.vouchers.models import Voucher

Role = User.Role


def _is_admin(user: Any) -> bool:
    return user.is_superuser or user.role == Role.ADMIN


def _staff(user: Any) -> bool:
    return user.role in (Role.CLERK, Role.APPROVER) and user.municipality_id is not None


def mothers_visible_to(user: Any) -> QuerySet[Mother]:
    if _is_admin(user):
        return Mother.objects.all()
    if _staff(user):
        return Mother.objects.filter(municipality_id=user.municipality_id)
    if user.role == Role.MOTHER:
        return Mother.objects.filter(user=user)
    return Mother.objects.none()


def applications_visible_to(user: Any) -> QuerySet[Application]:
    if _is_admin(user):
        return Application.objects.all()
    if _staff(user):
        return Application.objects.filter(municipality_id=user.municipality_id)
    if user.role == Role.MOTHER:
        return Application.objects.filter(mother__user=user)
    return Application.objects.none()


def change_requests_visible_to(user: Any) -> QuerySet[ChangeRequest]:
    return ChangeRequest.objects.filter(application__in=applications_visible_to(user))


def vouchers_visible_to(user: Any) -> QuerySet[Voucher]:
    if _is_admin(user):
        return Voucher.objects.all()
    if _staff(user):
        return Voucher.objects.filter(municipality_id=user.municipality_id)
    if user.role == Role.FACILITY:
        presented = Q(uses__facility_id=user.facility_id) | Q(
            application__bookings__facility_id=user.facility_id
        )
        return Voucher.objects.filter(presented).distinct()
    if user.role == Role.MOTHER:
        return Voucher.objects.filter(mother__user=user)
    return Voucher.objects.none()


def bookings_visible_to(user: Any) -> QuerySet[Booking]:
    if _is_admin(user):
        return Booking.objects.all()
    if _staff(user):
        return Booking.objects.filter(municipality_id=user.municipality_id)
    if user.role == Role.FACILITY:
        return Booking.objects.filter(facility_id=user.facility_id)
    if user.role == Role.MOTHER:
        return Booking.objects.filter(mother__user=user)
    return Booking.objects.none()


def uses_visible_to(user: Any) -> QuerySet[Use]:
    if _is_admin(user):
        return Use.objects.all()
    if _staff(user):
        return Use.objects.filter(municipality_id=user.municipality_id)
    if user.role == Role.FACILITY:
        return Use.objects.filter(facility_id=user.facility_id)
    if user.role == Role.MOTHER:
        return Use.objects.filter(voucher__mother__user=user)
    return Use.objects.none()


def reimbursements_visible_to(user: Any) -> QuerySet[Reimbursement]:
    if _is_admin(user):
        return Reimbursement.objects.all()
    if _staff(user):
        return Reimbursement.objects.filter(voucher__municipality_id=user.municipality_id)
    if user.role == Role.MOTHER:
        return Reimbursement.objects.filter(voucher__mother__user=user)
    return Reimbursement.objects.none()


def claims_visible_to(user: Any) -> QuerySet[FacilityClaim]:
    if _is_admin(user):
        return FacilityClaim.objects.all()
    if _staff(user):
        return FacilityClaim.objects.filter(municipality_id=user.municipality_id)
    if user.role == Role.FACILITY:
        return FacilityClaim.objects.filter(facility_id=user.facility_id)
    return FacilityClaim.objects.none()


def audit_visible_to(user: Any) -> QuerySet[AuditEvent]:
    if _is_admin(user):
        return AuditEvent.objects.all()
    if _staff(user):
        return AuditEvent.objects.filter(municipality_id=user.municipality_id)
    return AuditEvent.objects.none()
