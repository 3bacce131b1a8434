"""Uses (利用記録): what a facility recorded, and what the rules core decided about it.

A use is never edited: a correction voids it and records a new one that ``corrects`` it, and a
void keeps the row with its reason, so the history of every figure stays readable.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sango.facilities.models import Facility
from sango.municipalities.models import Municipality
from sango.vouchers.models import Voucher


class Use(models.Model):
    class Status(models.TextChoices):
        RECORDED = "recorded", _("記録済み")
        VOID = "void", _("取消")

    class Source(models.TextChoices):
        FACILITY = "facility", _("委託施設での利用")
        REIMBURSEMENT = "reimbursement", _("償還払い")

    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="uses")
    # No index of their own: the indexes below begin with them (every use recorded writes
    # each index, so none is kept twice).
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    facility = models.ForeignKey(
        Facility,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="uses",
        db_index=False,
    )
    source = models.CharField(
        _("種別"), max_length=16, choices=Source.choices, default=Source.FACILITY
    )
    status = models.CharField(
        _("状態"), max_length=16, choices=Status.choices, default=Status.RECORDED
    )
    service = models.CharField(_("サービス"), max_length=40)
    day = models.DateField(_("利用日"))
    start = models.DateTimeField(_("開始"), null=True, blank=True)
    end = models.DateTimeField(_("終了"), null=True, blank=True)
    quantity = models.PositiveIntegerField(_("数量"))
    infants = models.PositiveSmallIntegerField(_("乳児の人数"), default=1)
    tier = models.CharField(_("世帯の区分"), max_length=32)
    fee = models.PositiveIntegerField(_("料金（1単位・円）"))
    extras = models.PositiveIntegerField(_("対象外の費用（円）"), default=0)
    subsidy = models.PositiveIntegerField(_("市の負担額（円）"))
    copay = models.PositiveIntegerField(_("自己負担額（円）"))
    funding = models.JSONField(_("負担の内訳"), default=list)
    counted = models.JSONField(_("上限に数えた量"), default=dict)
    version = models.DateField(_("適用した制度の版"))
    idempotency_key = models.CharField(_("再送キー"), max_length=80)
    # sha256 of what was asked under the key: a retry must ask the same (blank on older rows).
    request_digest = models.CharField(max_length=64, blank=True, editable=False)
    corrects = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrected_by"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("記録日時"), auto_now_add=True)
    void_reason = models.CharField(_("取消の理由"), max_length=200, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    voided_at = models.DateTimeField(_("取消日時"), null=True, blank=True)

    class Meta:
        ordering = ["day", "id"]
        indexes = [
            models.Index(fields=["facility", "day"]),
            # A municipality's list of uses, in its order: a page reads only its rows.
            models.Index(fields=["municipality", "day", "id"], name="use_municipality_day_idx"),
            # 実績 (sango.reports.statistics): a fiscal year's recorded uses read by index only,
            # with every column the aggregates group or sum (PostgreSQL INCLUDE; SQLite ignores it).
            models.Index(
                fields=["municipality", "day"],
                include=["voucher", "service", "tier", "facility", "quantity", "subsidy", "copay"],
                condition=models.Q(status="recorded"),
                name="use_recorded_figures_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "idempotency_key"], name="use_idempotency_unique"
            )
        ]
        verbose_name = _("利用記録")
        verbose_name_plural = _("利用記録")

    def __str__(self) -> str:
        return f"{self.voucher} {self.day} {self.service}"
