"""Accounts. One user model with a role: who they are decides what they may see."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sango.facilities.models import Facility
from sango.municipalities.models import Municipality, Office


class User(AbstractUser):
    class Role(models.TextChoices):
        CLERK = "clerk", _("市町村の担当者")
        APPROVER = "approver", _("市町村の決裁者")
        FACILITY = "facility", _("施設の職員")
        MOTHER = "mother", _("産婦")
        ADMIN = "admin", _("システム管理者")

    role = models.CharField(_("役割"), max_length=16, choices=Role.choices, default=Role.MOTHER)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )

    class Meta:
        verbose_name = _("アカウント")
        verbose_name_plural = _("アカウント")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=["clerk", "approver"]) | Q(municipality__isnull=False),
                name="staff_have_municipality",
            ),
            models.CheckConstraint(
                condition=~Q(role="facility") | Q(facility__isnull=False),
                name="facility_staff_have_facility",
            ),
        ]

    def __str__(self) -> str:
        return self.username

    @property
    def is_municipal_staff(self) -> bool:
        return self.role in (self.Role.CLERK, self.Role.APPROVER)

    @property
    def is_approver(self) -> bool:
        return self.role == self.Role.APPROVER


class ClaimCode(models.Model):
    """A one-time code こども課 prints for a mother it registered, with which she makes her own
    マイページ account (``sango.accounts.claims``). Only a keyed hash of the code is kept; it
    expires, is spent once, and is void after too many wrong birth dates."""

    mother = models.ForeignKey("mothers.Mother", on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # A code tried with a wrong birth date; void after claims.MAX_FAILURES.
    failures = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("アカウント登録コード")
        verbose_name_plural = _("アカウント登録コード")

    def __str__(self) -> str:
        return f"claim code {self.pk}"
