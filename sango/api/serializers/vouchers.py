"""Vouchers (利用券) and usage cards (利用カード): what may be seen of them, and checking one."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from sango.accounts import access
from sango.api.fields import DayField
from sango.api.serializers.common import (
    CapRemainingOut,
    MotherBriefOut,
    PresentedVoucherIn,
    TierDisplayField,
    VisibleObject,
    display,
)
from sango.applications.models import TierBasis
from sango.mothers.models import Mother


class VerifyIn(PresentedVoucherIn):
    """The number with the mother's birth date, or the QR payload (an id is accepted too)."""


class VerifyOut(serializers.Serializer):
    """A voucher check: nothing beyond what a facility needs to accept the voucher."""

    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_display = serializers.CharField()
    status = serializers.CharField()
    status_display = serializers.CharField()
    valid_from = DayField()
    valid_until = DayField(
        allow_null=True, help_text="有効期間の終了（この日を含む）。出生前の利用カードは null"
    )
    mother_name = serializers.CharField(
        allow_null=True, help_text="産婦の氏名（施設・市町村の職員にのみ）"
    )
    remaining = serializers.DictField(
        child=CapRemainingOut(), help_text="上限ごとの残り（今日の制度）"
    )

    def to_representation(self, check: dict[str, Any]) -> dict[str, Any]:
        """The fields above written out by hand: every check at every reception renders one,
        and DRF's generic walk over the nested caps costs more than the rest of the answer
        (``api/tests/test_query_counts.py`` checks that both give the same)."""
        until = check["valid_until"]
        return {
            "id": int(check["id"]),
            "kind": str(check["kind"]),
            "kind_display": str(check["kind_display"]),
            "status": str(check["status"]),
            "status_display": str(check["status_display"]),
            "valid_from": _DAY.to_representation(check["valid_from"]),
            "valid_until": None if until is None else _DAY.to_representation(until),
            "mother_name": None if check["mother_name"] is None else str(check["mother_name"]),
            "remaining": {
                str(code): {
                    "name": str(cap["name"]),
                    "unit": str(cap["unit"]),
                    "limit": int(cap["limit"]),
                    "used": int(cap["used"]),
                    "remaining": int(cap["remaining"]),
                }
                for code, cap in check["remaining"].items()
            },
        }


_DAY = DayField()


class VoucherOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    municipality = serializers.CharField(source="municipality.code")
    mother = MotherBriefOut()
    application = serializers.IntegerField(source="application_id", allow_null=True)
    kind = serializers.CharField()
    kind_display = display("kind")
    status = serializers.CharField()
    status_display = display("status")
    tier = serializers.CharField()
    tier_display = TierDisplayField()
    tier_basis = serializers.CharField()
    valid_from = DayField()
    valid_until = DayField(
        allow_null=True, help_text="有効期間の終了（この日を含む）。出生前の利用カードは null"
    )
    issued_at = serializers.DateTimeField()
    remaining = serializers.DictField(
        child=CapRemainingOut(), help_text="上限ごとの残り（今日の制度）"
    )
    qr = serializers.CharField(help_text="利用券に印刷するQRコードの内容（署名付き）")


class UsageCardIn(serializers.Serializer):
    """利用カード for a mother of the staff member's municipality."""

    mother = VisibleObject(access.mothers_visible_to, queryset=Mother.objects.all())
    tier = serializers.RegexField(r"^[a-z][a-z0-9_]*$", max_length=32)
    tier_basis = serializers.ChoiceField(
        choices=TierBasis.choices, required=False, allow_blank=True, default=""
    )
    issued_on = DayField(required=False, help_text="省略時は今日")
