"""Applications and their decisions: 利用申請 → 聞き取り調査 → 承認 / 不承認 → 変更・中止.

States are explicit (``Application.Status``); only the services in ``services.py`` move an
application from one state to the next, each recording who acted and when.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sango.facilities.models import Facility
from sango.mothers.models import Mother
from sango.municipalities.models import Municipality, Office


class TierBasis(models.TextChoices):
    LEDGER = "ledger", _("市の台帳で確認")
    CERTIFICATE = "certificate", _("証明書を受領")
    PENDING = "certificate_pending", _("証明書の提出待ち")


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("下書き")
        SUBMITTED = "submitted", _("受付済み")
        INTERVIEWED = "interviewed", _("聞き取り済み")
        APPROVED = "approved", _("承認")
        REJECTED = "rejected", _("不承認")
        CANCELLED = "cancelled", _("中止")
        EXPIRED = "expired", _("期間満了")

    class Channel(models.TextChoices):
        IN_PERSON = "in_person", pgettext_lazy("channel", "窓口")
        POST = "post", _("郵送")
        ONLINE = "online", _("オンライン")

    class Residence(models.TextChoices):
        RESIDENT = "resident", _("市内に住所あり")
        TEMPORARY_RETURN = "temporary_return", _("里帰り")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="applications"
    )
    office = models.ForeignKey(Office, on_delete=models.PROTECT, null=True, blank=True)
    mother = models.ForeignKey(Mother, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(
        _("状態"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    channel = models.CharField(_("受付方法"), max_length=16, choices=Channel.choices, blank=True)
    by_proxy = models.BooleanField(_("代理申請"), default=False)
    proxy_name = models.CharField(_("代理人の氏名"), max_length=100, blank=True)
    proxy_relationship = models.CharField(_("代理人との関係"), max_length=50, blank=True)
    proxy_id_document = models.CharField(_("代理人の本人確認書類"), max_length=100, blank=True)
    attorney_letter_received = models.BooleanField(_("委任状を受領"), default=False)
    residence = models.CharField(
        _("居住"), max_length=20, choices=Residence.choices, default=Residence.RESIDENT
    )
    home_municipality = models.CharField(_("住所地の市町村（里帰り）"), max_length=50, blank=True)
    tier = models.CharField(_("世帯の区分"), max_length=32, blank=True)
    tier_basis = models.CharField(
        _("区分の確認方法"), max_length=24, choices=TierBasis.choices, blank=True
    )
    needs = models.JSONField(_("申告された状態"), default=list, blank=True)
    requested = models.JSONField(_("希望するサービスと数量"), default=dict, blank=True)
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("希望施設")
    )
    submitted_at = models.DateTimeField(_("受付日時"), null=True, blank=True)
    decision_due = models.DateField(_("決定予定日"), null=True, blank=True)
    decided_at = models.DateTimeField(_("決定日時"), null=True, blank=True)
    valid_from = models.DateField(_("利用期間の開始"), null=True, blank=True)
    valid_until = models.DateField(_("利用期間の終了"), null=True, blank=True)
    rejection_reason = models.TextField(_("不承認の理由"), blank=True)
    # The names of the programme version's required documents (required_documents) that the
    # office holds; the rest are still missing.
    documents_received = models.JSONField(_("受領した書類"), default=list, blank=True)
    # An online application (``sango.applications.online``): the required documents she said
    # she will post, those whose condition (``when``) does not apply to her, and the parts of
    # the form she has finished. Uploads are in ``uploads``; none of these is "received".
    documents_by_post = models.JSONField(_("郵送で提出する書類"), default=list, blank=True)
    documents_not_needed = models.JSONField(_("該当しない書類"), default=list, blank=True)
    steps_done = models.JSONField(_("入力を終えた項目"), default=list, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("担当者"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["municipality", "status"]),
            # The inbox: a municipality's open work by step, oldest submission first.
            models.Index(fields=["municipality", "status", "submitted_at"]),
        ]
        verbose_name = _("利用申請")
        verbose_name_plural = _("利用申請")

    def __str__(self) -> str:
        return f"{_('利用申請')} {self.pk}"


class Interview(models.Model):
    """聞き取り調査: a public health nurse's assessment of need, in person or by phone."""

    class Method(models.TextChoices):
        IN_PERSON = "in_person", _("面接")
        PHONE = "phone", _("電話")
        VISIT = "visit", _("訪問")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="interviews"
    )
    conducted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    conducted_at = models.DateTimeField(_("実施日時"))
    method = models.CharField(_("方法"), max_length=16, choices=Method.choices)
    needs_found = models.JSONField(_("確認した状態"), default=list, blank=True)
    exclusions_found = models.JSONField(_("該当した除外事由"), default=list, blank=True)
    assessment = models.TextField(_("所見"), blank=True)
    # 施設への申し送り: the one part of the interview a facility sees when it checks the voucher.
    facility_note = models.CharField(_("施設への申し送り"), max_length=400, blank=True)

    class Meta:
        ordering = ["conducted_at"]
        verbose_name = _("聞き取り調査")
        verbose_name_plural = _("聞き取り調査")

    def __str__(self) -> str:
        return f"{self.application} {self.conducted_at:%Y-%m-%d}"


class Grant(models.Model):
    """What an approval grants: a quantity against one cap of the programme."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="grants")
    cap = models.CharField(_("上限"), max_length=40)
    quantity = models.PositiveIntegerField(_("数量"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "cap"], name="grant_unique")]
        verbose_name = _("承認量")
        verbose_name_plural = _("承認量")

    def __str__(self) -> str:
        return f"{self.cap} {self.quantity}"


class Decision(models.Model):
    """A decision letter (決定通知書) with its number for the municipality and fiscal year."""

    class Kind(models.TextChoices):
        APPROVAL = "approval", _("利用承認")
        REJECTION = "rejection", _("利用不承認")
        CHANGE = "change", _("利用変更承認")
        CANCELLATION = "cancellation", _("利用中止")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="decisions")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("種類"), max_length=16, choices=Kind.choices)
    fiscal_year = models.PositiveIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("番号"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("決定日時"))
    reason = models.TextField(_("理由"), blank=True)
    # The 利用変更（中止）申請 a change or cancellation decision answers.
    change_request = models.OneToOneField(
        "ChangeRequest", on_delete=models.PROTECT, null=True, blank=True, related_name="decision"
    )

    class Meta:
        ordering = ["-decided_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "fiscal_year", "sequence"], name="decision_number_unique"
            )
        ]
        verbose_name = _("決定")
        verbose_name_plural = _("決定")

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        """The letter's number as printed: 2026年度 第12号."""
        return f"{self.fiscal_year}年度 第{self.sequence}号"


class DocumentCounter(models.Model):
    """The last number used per municipality and fiscal year; rows are locked to hand out the
    next one, so two decisions at the same moment never share a number."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    fiscal_year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "fiscal_year"], name="counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.fiscal_year}: {self.last}"


class ChangeRequest(models.Model):
    """利用変更（中止）申請: new quantities, facility or period, or cancellation."""

    class Kind(models.TextChoices):
        CHANGE = "change", _("変更")
        CANCEL = "cancel", _("中止")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("受付済み")
        APPROVED = "approved", _("承認")
        REJECTED = "rejected", _("不承認")

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="change_requests"
    )
    kind = models.CharField(_("種類"), max_length=8, choices=Kind.choices)
    status = models.CharField(
        _("状態"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    grants = models.JSONField(_("変更後の承認量"), default=dict, blank=True)
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    valid_until = models.DateField(_("変更後の利用期間の終了"), null=True, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("受付日時"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("決定日時"), null=True, blank=True)
    rejection_reason = models.TextField(_("不承認の理由"), blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("利用変更（中止）申請")
        verbose_name_plural = _("利用変更（中止）申請")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"
