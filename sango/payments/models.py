"""Payments (支払): what the municipality pays on one date, as a batch of lines, each an
approved facility claim or reimbursement with the account it is paid to.

A batch is 作成中 while staff review it, 確定 once an approver locks it (its lines, count and
total are then what the transfer file carries and never change), 支払済み once the bank has
made the transfers. A transfer the bank returns (振込不能) marks its line returned; the claim or
reimbursement is then owed again and a later batch gathers it. The database holds that line: a
claim or reimbursement is in at most one line that is not returned (the partial unique
indexes), so nothing is paid twice, whatever the services do."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sango.banking.models import BankAccount
from sango.billing.models import FacilityClaim
from sango.municipalities.models import Municipality
from sango.reimbursements.models import Reimbursement


class Originator(models.Model):
    """The municipality as 振込依頼人 of its transfer files: the 委託者コード its bank gave it,
    its name as the bank registered it, and its own account (a municipality-owned BankAccount,
    confirmed). Entered once by staff; a change replaces it (the audit keeps who and when)."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.PROTECT, related_name="payment_originator"
    )
    code = models.CharField(_("委託者コード"), max_length=10)  # 10 digits
    name = models.CharField(_("委託者名（カナ）"), max_length=40)  # 全銀 half-width
    account = models.ForeignKey(BankAccount, on_delete=models.PROTECT, related_name="+")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("振込依頼人")
        verbose_name_plural = _("振込依頼人")

    def __str__(self) -> str:
        return f"{self.municipality} {self.code}"


class PaymentBatch(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("作成中")
        LOCKED = "locked", _("確定")
        PAID = "paid", _("支払済み")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="payment_batches"
    )
    pay_date = models.DateField(_("支払日"))
    status = models.CharField(_("状態"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    count = models.PositiveIntegerField(_("件数"), default=0)
    total = models.PositiveBigIntegerField(_("合計額（円）"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    # The originator as it was at the lock: the file of a locked batch reads the same later.
    originator_code = models.CharField(_("委託者コード"), max_length=10, blank=True)
    originator_name = models.CharField(_("委託者名（カナ）"), max_length=40, blank=True)
    originator_account = models.ForeignKey(
        BankAccount, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    locked_at = models.DateTimeField(_("確定日時"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    paid_at = models.DateTimeField(_("支払済みの記録日時"), null=True, blank=True)

    class Meta:
        ordering = ["-pay_date", "-pk"]
        verbose_name = _("支払")
        verbose_name_plural = _("支払")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "pay_date"], name="batch_one_per_day"),
            # A batch past 作成中 has its approver, its originator and its figures.
            models.CheckConstraint(
                name="batch_locked_complete",
                condition=Q(status="draft")
                | Q(
                    locked_by__isnull=False,
                    locked_at__isnull=False,
                    originator_account__isnull=False,
                    count__gt=0,
                    total__gt=0,
                ),
            ),
            models.CheckConstraint(
                name="batch_paid_recorded",
                condition=~Q(status="paid") | Q(paid_by__isnull=False, paid_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.pay_date}"

    @property
    def reference(self) -> str:
        """The number staff quote for a batch (and the file name's stem): P-000012."""
        return f"P-{self.pk:06d}"

    @property
    def locked(self) -> bool:
        return self.status != self.Status.DRAFT


class ReturnReason(models.IntegerChoices):
    """Why the bank returned a transfer (振込不能), as banks report it."""

    NO_ACCOUNT = 1, _("口座なし（口座番号の相違）")
    NAME_MISMATCH = 2, _("受取人名の相違")
    CLOSED = 3, _("口座解約済み")
    KIND_MISMATCH = 4, _("預金種目の相違")
    OTHER = 9, _("その他")


class PaymentLine(models.Model):
    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("振込予定")
        PAID = "paid", _("支払済み")
        RETURNED = "returned", _("振込不能")

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="lines")
    claim = models.ForeignKey(
        FacilityClaim,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payment_lines",
    )
    reimbursement = models.ForeignKey(
        Reimbursement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payment_lines",
    )
    account = models.ForeignKey(BankAccount, on_delete=models.PROTECT, related_name="+")
    amount = models.PositiveIntegerField(_("振込金額（円）"))
    new_code = models.CharField(_("新規コード"), max_length=1)  # zengin_file.NewCode
    state = models.CharField(
        _("状態"), max_length=10, choices=State.choices, default=State.SCHEDULED
    )
    returned_reason = models.PositiveSmallIntegerField(
        _("振込不能の理由"), choices=ReturnReason.choices, null=True, blank=True
    )
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    returned_at = models.DateTimeField(_("振込不能の記録日時"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("支払明細")
        verbose_name_plural = _("支払明細")
        constraints = [
            models.CheckConstraint(
                name="payment_line_one_item",
                condition=Q(claim__isnull=False, reimbursement__isnull=True)
                | Q(claim__isnull=True, reimbursement__isnull=False),
            ),
            models.CheckConstraint(name="payment_line_amount", condition=Q(amount__gt=0)),
            models.CheckConstraint(
                name="payment_line_returned_reason",
                condition=~Q(state="returned")
                | Q(returned_reason__isnull=False, returned_at__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(claim__isnull=False) & ~Q(state="returned"),
                name="payment_line_claim_once",
            ),
            models.UniqueConstraint(
                fields=["reimbursement"],
                condition=Q(reimbursement__isnull=False) & ~Q(state="returned"),
                name="payment_line_reimbursement_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch} {self.pk}"
