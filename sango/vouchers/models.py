"""Vouchers (利用承認通知書兼利用券) and usage cards (利用カード): proof of entitlement.

A facility verifies one by its number plus the mother's birth date, or by a signed QR payload;
either way it learns nothing about any other mother.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sango.applications.models import Application, TierBasis
from sango.mothers.models import Mother
from sango.municipalities.models import Municipality, Office


class Voucher(models.Model):
    class Kind(models.TextChoices):
        VOUCHER = "voucher", _("利用券")
        USAGE_CARD = "usage_card", _("利用カード")

    class Status(models.TextChoices):
        ACTIVE = "active", _("有効")
        CANCELLED = "cancelled", _("無効（中止）")
        EXPIRED = "expired", _("期間満了")

    number = models.CharField(_("番号"), max_length=24, unique=True)  # 332089-1234-5678-9012
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    mother = models.ForeignKey(Mother, on_delete=models.PROTECT, related_name="vouchers")
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="voucher"
    )
    # The office that holds the case: the application's, or the ward office that issued a card.
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("種類"), max_length=16, choices=Kind.choices)
    status = models.CharField(
        _("状態"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    tier = models.CharField(_("世帯の区分"), max_length=32)
    tier_basis = models.CharField(
        _("区分の確認方法"), max_length=24, choices=TierBasis.choices, blank=True
    )
    valid_from = models.DateField(_("有効期間の開始"))
    # A usage card handed out with the handbook during pregnancy has no end until the birth is
    # registered: the programme's postpartum window decides at each use.
    valid_until = models.DateField(_("有効期間の終了"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("発行日時"))

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("利用券・利用カード")
        verbose_name_plural = _("利用券・利用カード")

    def __str__(self) -> str:
        return self.number
