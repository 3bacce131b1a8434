"""Money claims: out-of-area reimbursements (償還払い) and facility claims (委託料請求)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from sango.api.fields import DayField
from sango.api.selectors import vouchers_for
from sango.api.serializers.common import FacilityBriefOut, VisibleObject, display
from sango.billing.models import RejectionReason
from sango.municipalities.models import Municipality
from sango.rules.request import AMOUNT_PAID_MAX, INFANTS_MAX, QUANTITY_MAX
from sango.vouchers.models import Voucher


class ReimbursementIn(serializers.Serializer):
    """The receipt: for the mother's own voucher, or one of the staff member's municipality."""

    voucher = VisibleObject(vouchers_for, queryset=Voucher.objects.all())
    facility_name = serializers.CharField(max_length=100)
    facility_address = serializers.CharField(max_length=200)
    service = serializers.RegexField(r"^[a-z][a-z0-9_]*$", max_length=40)
    amount_paid = serializers.IntegerField(
        min_value=1, max_value=AMOUNT_PAID_MAX, help_text="支払った額（円）"
    )
    day = DayField(required=False)
    start = serializers.DateTimeField(required=False)
    end = serializers.DateTimeField(required=False)
    quantity = serializers.IntegerField(min_value=1, max_value=QUANTITY_MAX, default=1)
    infants = serializers.IntegerField(min_value=0, max_value=INFANTS_MAX, default=1)
    receipt_number = serializers.CharField(
        max_length=50, required=False, allow_blank=True, default=""
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("day") and not attrs.get("start"):
            raise serializers.ValidationError(
                {"day": "利用日を入力してください。"}, code="required"
            )
        return attrs


class ReimbursementOut(serializers.Serializer):
    id = serializers.IntegerField()
    voucher = serializers.IntegerField(source="voucher_id")
    voucher_number = serializers.CharField(source="voucher.number")
    status = serializers.CharField()
    status_display = display("status")
    facility_name = serializers.CharField()
    facility_address = serializers.CharField()
    service = serializers.CharField()
    day = DayField()
    start = serializers.DateTimeField(allow_null=True)
    end = serializers.DateTimeField(allow_null=True)
    quantity = serializers.IntegerField()
    infants = serializers.IntegerField()
    amount_paid = serializers.IntegerField(help_text="支払った額（円）")
    receipt_number = serializers.CharField()
    amount = serializers.IntegerField(allow_null=True, help_text="支給額（円）")
    use = serializers.IntegerField(source="use_id", allow_null=True)
    submitted_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    rejection_reason = serializers.CharField()


class ClaimGenerateIn(serializers.Serializer):
    """The month (``2026-05``) and the municipality (code) to bill; facility staff only."""

    month = DayField(input_formats=["%Y-%m", "iso-8601"], help_text="2026-05")
    municipality = serializers.SlugRelatedField(
        slug_field="code", queryset=Municipality.objects.all(), help_text="市町村コード"
    )

    def validate_municipality(self, municipality: Municipality) -> Municipality:
        facility_id = self.context["request"].user.facility_id
        if not municipality.contracts.filter(facility_id=facility_id).exists():
            raise serializers.ValidationError(
                "この市町村とは委託契約がありません。", code="no_contract"
            )
        return municipality


class LineReviewIn(serializers.Serializer):
    accept = serializers.BooleanField()
    reason = serializers.ChoiceField(
        choices=RejectionReason.choices,
        required=False,
        allow_null=True,
        default=None,
        help_text="返戻の理由の番号（accept が false のとき）",
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ClaimLineOut(serializers.Serializer):
    id = serializers.IntegerField()
    use = serializers.IntegerField(source="use_id")
    voucher_number = serializers.CharField(source="use.voucher.number")
    day = DayField(source="use.day")
    service = serializers.CharField(source="use.service")
    quantity = serializers.IntegerField(source="use.quantity")
    amount = serializers.IntegerField(help_text="請求額（円）")
    status = serializers.CharField()
    status_display = display("status")
    rejection_reason = serializers.IntegerField(allow_null=True)
    rejection_reason_display = serializers.SerializerMethodField()
    rejection_note = serializers.CharField()

    def get_rejection_reason_display(self, line: Any) -> str | None:
        return line.get_rejection_reason_display() if line.rejection_reason else None


class ClaimOut(serializers.Serializer):
    id = serializers.IntegerField()
    facility = FacilityBriefOut()
    municipality = serializers.CharField(source="municipality.code")
    month = DayField(help_text="対象月の1日")
    status = serializers.CharField()
    status_display = display("status")
    total = serializers.IntegerField(help_text="請求額（円）")
    approved_total = serializers.IntegerField(allow_null=True, help_text="承認額（円）")
    submitted_at = serializers.DateTimeField(allow_null=True)
    reviewed_at = serializers.DateTimeField(allow_null=True)


class ClaimDetailOut(ClaimOut):
    lines = ClaimLineOut(many=True)
