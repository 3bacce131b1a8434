"""Out-of-area reimbursement (償還払い): a mother used a facility the municipality has no contract
with (里帰り先, another prefecture), paid in full, and claims back what the programme pays."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sango.banking.models import BankAccount
from sango.usage.models import Use
from sango.vouchers.models import Voucher


class Reimbursement(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("受付済み")
        APPROVED = "approved", _("支給決定")
        REJECTED = "rejected", _("不支給")

    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="reimbursements")
    status = models.CharField(
        _("状態"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    facility_name = models.CharField(_("利用した施設"), max_length=100)
    facility_address = models.CharField(_("施設の所在地"), max_length=200)
    service = models.CharField(_("サービス"), max_length=40)
    day = models.DateField(_("利用日"))
    start = models.DateTimeField(_("開始"), null=True, blank=True)
    end = models.DateTimeField(_("終了"), null=True, blank=True)
    quantity = models.PositiveIntegerField(_("数量"))
    infants = models.PositiveSmallIntegerField(_("乳児の人数"), default=1)
    amount_paid = models.PositiveIntegerField(_("支払った額（円）"))
    receipt_number = models.CharField(_("領収書番号"), max_length=50, blank=True)
    amount = models.PositiveIntegerField(_("支給額（円）"), null=True, blank=True)
    # Where the amount is paid: her account as she gave it with this claim (never edited; a
    # later change of account is a new row). Empty for a claim entered before accounts were kept.
    bank_account = models.ForeignKey(
        BankAccount,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reimbursements",
        verbose_name=_("振込先の口座"),
    )
    use = models.OneToOneField(
        Use, on_delete=models.PROTECT, null=True, blank=True, related_name="reimbursement"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("受付日時"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("決定日時"), null=True, blank=True)
    rejection_reason = models.TextField(_("不支給の理由"), blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("償還払いの請求")
        verbose_name_plural = _("償還払いの請求")

    def __str__(self) -> str:
        return f"{self.facility_name} {self.day}"

    @property
    def reference(self) -> str:
        """受付番号, the number she quotes when she asks about her claim: R-000123."""
        return f"R-{self.pk:06d}"
