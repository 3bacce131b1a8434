"""Facility monthly claims (委託料請求): the subsidies a facility advanced in one month, line by
line, submitted by the facility and reviewed by the municipality. An approved claim is locked."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sango.facilities.models import Facility
from sango.municipalities.models import Municipality
from sango.usage.models import Use


class RejectionReason(models.IntegerChoices):
    """Numbered so that a facility can look the number up on the returned claim."""

    UNKNOWN_VOUCHER = 1, _("利用券を確認できません")
    OUTSIDE_PERIOD = 2, _("利用期間外の利用です")
    OVER_CAP = 3, _("利用上限を超えています")
    WRONG_FEE = 4, _("料金が契約と異なります")
    DUPLICATE = 5, _("二重の請求です")
    MISSING_RECORD = 6, _("利用の記録が不足しています")
    OTHER = 9, _("その他（備考を参照）")


class FacilityClaim(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("作成中")
        SUBMITTED = "submitted", _("提出済み")
        RETURNED = "returned", _("差戻し")
        APPROVED = "approved", _("承認（確定）")

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="claims")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="claims")
    month = models.DateField(_("対象月"), help_text=_("その月の1日"))
    status = models.CharField(
        _("状態"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    total = models.PositiveIntegerField(_("請求額（円）"), default=0)
    approved_total = models.PositiveIntegerField(_("承認額（円）"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提出日時"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("審査日時"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month", "facility__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "municipality", "month"], name="claim_unique"
            )
        ]
        verbose_name = _("委託料請求")
        verbose_name_plural = _("委託料請求")

    def __str__(self) -> str:
        return f"{self.facility} {self.month:%Y-%m}"

    @property
    def locked(self) -> bool:
        return self.status == self.Status.APPROVED


class ClaimLine(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("未審査")
        ACCEPTED = "accepted", _("承認")
        REJECTED = "rejected", _("返戻")

    claim = models.ForeignKey(FacilityClaim, on_delete=models.CASCADE, related_name="lines")
    use = models.OneToOneField(Use, on_delete=models.PROTECT, related_name="claim_line")
    amount = models.PositiveIntegerField(_("請求額（円）"))
    status = models.CharField(
        _("状態"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    rejection_reason = models.PositiveSmallIntegerField(
        _("返戻の理由"), choices=RejectionReason.choices, null=True, blank=True
    )
    rejection_note = models.CharField(_("備考"), max_length=200, blank=True)

    class Meta:
        ordering = ["use__day", "id"]
        verbose_name = _("請求明細")
        verbose_name_plural = _("請求明細")

    def __str__(self) -> str:
        return f"{self.claim} {self.use_id}"
