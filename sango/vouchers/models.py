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


class CheckFailure(models.Model):
    """A failed voucher check at a facility (``sango.vouchers.checks``): which account, when,
    against which voucher when the number is one, and why. Enough to limit the guessing of
    birth dates and to tell the municipality; neither the number typed nor a birth date is
    kept."""

    class Reason(models.TextChoices):
        UNKNOWN_NUMBER = "unknown_number", _("番号に当たる利用券がない")
        WRONG_BIRTH_DATE = "wrong_birth_date", _("生年月日が違う")
        BAD_QR = "bad_qr", _("QRコードが利用券のものではない")
        NOT_CONTRACTED = "not_contracted", _("委託契約のない市町村の利用券")
        VOUCHER_LOCKED = "voucher_locked", _("確認の失敗が続いている利用券")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(_("日時"))
    voucher = models.ForeignKey(
        Voucher, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("理由"), max_length=20, choices=Reason.choices)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["user", "at"]), models.Index(fields=["voucher", "at"])]
        verbose_name = _("利用券の確認の失敗")
        verbose_name_plural = _("利用券の確認の失敗")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.reason}"
