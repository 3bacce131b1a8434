"""Applications (利用申請) and each step of their process; change requests (利用変更・中止)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sango.accounts import access
from sango.api.fields import DayField
from sango.api.serializers.bookings import BookingOut
from sango.api.serializers.common import (
    FacilityBriefOut,
    MotherBriefOut,
    TierDisplayField,
    VisibleObject,
    VoucherBriefOut,
    display,
)
from sango.applications.models import Application, ChangeRequest, Interview, TierBasis
from sango.applications.selectors import decision_timing
from sango.facilities.models import Facility
from sango.mothers.models import Mother
from sango.municipalities.models import Office

Status = Application.Status


def _codes() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.RegexField(r"^[a-z][a-z0-9_]*$", max_length=40),
        max_length=20,  # more than any programme declares
        error_messages={"max_length": "コードは{max_length}個までです。"},
        required=False,
        default=list,
        help_text="制度文書の状態・除外事由のコード",
    )


def _grants(**kwargs: Any) -> serializers.DictField:
    return serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=365),
        help_text='上限のコードごとの数量（例: {"stay": 3}）',
        # DRF has no Japanese for this one.
        error_messages={"empty": "サービスと数量を1つ以上入力してください。"},
        **kwargs,
    )


class ApplicationFilterIn(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices, required=False)


class ApplicationCreateIn(serializers.Serializer):
    """A draft application for a mother the user may see (staff: their municipality's; a
    mother: herself)."""

    mother = VisibleObject(access.mothers_visible_to, queryset=Mother.objects.all())
    office = serializers.PrimaryKeyRelatedField(
        queryset=Office.objects.filter(active=True), required=False, allow_null=True
    )
    residence = serializers.ChoiceField(
        choices=Application.Residence.choices, default=Application.Residence.RESIDENT
    )
    home_municipality = serializers.CharField(
        max_length=50, required=False, allow_blank=True, default=""
    )
    needs = _codes()
    requested = _grants(required=False, default=dict)
    facility = serializers.PrimaryKeyRelatedField(
        queryset=Facility.objects.all(), required=False, allow_null=True, help_text="希望施設"
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        office = attrs.get("office")
        if office is not None and office.municipality_id != attrs["mother"].municipality_id:
            raise serializers.ValidationError(
                {"office": "産婦の市町村の窓口を選んでください。"}, code="invalid"
            )
        return attrs


class SubmitIn(serializers.Serializer):
    """受付. Proxy fields only for a proxy application (代理申請)."""

    channel = serializers.ChoiceField(choices=Application.Channel.choices)
    submitted_at = serializers.DateTimeField(required=False, help_text="省略時は現在")
    by_proxy = serializers.BooleanField(default=False)
    proxy_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    proxy_relationship = serializers.CharField(
        max_length=50, required=False, allow_blank=True, default=""
    )
    proxy_id_document = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    attorney_letter_received = serializers.BooleanField(default=False)


class InterviewIn(serializers.Serializer):
    conducted_at = serializers.DateTimeField()
    method = serializers.ChoiceField(choices=Interview.Method.choices)
    needs_found = _codes()
    exclusions_found = _codes()
    assessment = serializers.CharField(required=False, allow_blank=True, default="")


class VerifyTierIn(serializers.Serializer):
    tier = serializers.RegexField(r"^[a-z][a-z0-9_]*$", max_length=32, help_text="世帯の区分コード")
    basis = serializers.ChoiceField(choices=TierBasis.choices)


class ApproveIn(serializers.Serializer):
    grants = _grants(allow_empty=False)
    facility = serializers.PrimaryKeyRelatedField(
        queryset=Facility.objects.all(), required=False, allow_null=True
    )
    valid_from = DayField(required=False, help_text="省略時は今日")
    valid_until = DayField(required=False, help_text="省略時は産後の期間の終わり")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("valid_from"), attrs.get("valid_until")
        if start and end and end < start:
            raise serializers.ValidationError(
                {"valid_until": "利用期間の終了日は開始日以降にしてください。"}, code="invalid"
            )
        return attrs


class ReasonIn(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, help_text="理由（通知書に載ります）")


class InterviewOut(serializers.Serializer):
    id = serializers.IntegerField()
    conducted_by = serializers.IntegerField(source="conducted_by_id")
    conducted_at = serializers.DateTimeField()
    method = serializers.CharField()
    method_display = display("method")
    needs_found = serializers.ListField(child=serializers.CharField())
    exclusions_found = serializers.ListField(child=serializers.CharField())
    assessment = serializers.CharField()


class GrantOut(serializers.Serializer):
    cap = serializers.CharField()
    quantity = serializers.IntegerField()


class DecisionOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(help_text="決定通知書の番号（2026年度 第12号）")
    kind = serializers.CharField()
    kind_display = display("kind")
    decided_by = serializers.IntegerField(source="decided_by_id")
    decided_at = serializers.DateTimeField()
    reason = serializers.CharField()


class ChangeRequestOut(serializers.Serializer):
    id = serializers.IntegerField()
    application = serializers.IntegerField(source="application_id")
    kind = serializers.CharField()
    kind_display = display("kind")
    status = serializers.CharField()
    status_display = display("status")
    grants = serializers.DictField(child=serializers.IntegerField())
    facility = serializers.IntegerField(source="facility_id", allow_null=True)
    valid_until = DayField(allow_null=True)
    reason = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    rejection_reason = serializers.CharField()


class DecisionTimingOut(serializers.Serializer):
    days = serializers.IntegerField(help_text="受付から決定（未決定なら今日）までの日数")
    target_days = serializers.IntegerField(allow_null=True, help_text="制度の目標日数")
    counting = serializers.ChoiceField(choices=["business", "calendar"], help_text="日数の数え方")
    decided = serializers.BooleanField()
    overdue = serializers.BooleanField(help_text="目標日数を超えている")


class ApplicationOut(serializers.Serializer):
    """One line of the list."""

    id = serializers.IntegerField()
    municipality = serializers.CharField(source="municipality.code")
    mother = MotherBriefOut()
    status = serializers.CharField()
    status_display = display("status")
    channel = serializers.CharField()
    channel_display = display("channel")
    tier = serializers.CharField()
    tier_display = TierDisplayField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    decision_due = DayField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    valid_from = DayField(allow_null=True)
    valid_until = DayField(allow_null=True, help_text="利用期間の終了（この日を含む）")
    created_at = serializers.DateTimeField()


class ApplicationDetailOut(ApplicationOut):
    """The whole case: interviews, grants, decisions, voucher, bookings and change requests."""

    office = serializers.IntegerField(source="office_id", allow_null=True)
    residence = serializers.CharField()
    residence_display = display("residence")
    home_municipality = serializers.CharField()
    by_proxy = serializers.BooleanField()
    proxy_name = serializers.CharField()
    proxy_relationship = serializers.CharField()
    attorney_letter_received = serializers.BooleanField()
    tier_basis = serializers.CharField()
    tier_basis_display = display("tier_basis")
    needs = serializers.ListField(child=serializers.CharField())
    requested = serializers.DictField(child=serializers.IntegerField())
    facility = FacilityBriefOut(allow_null=True)
    rejection_reason = serializers.CharField()
    interviews = InterviewOut(many=True)
    grants = GrantOut(many=True)
    decisions = DecisionOut(many=True)
    voucher = VoucherBriefOut(allow_null=True)
    bookings = BookingOut(many=True)
    change_requests = ChangeRequestOut(many=True)
    decision_timing = serializers.SerializerMethodField(
        help_text="受付から決定（未決定なら今日）までの日数と、制度の目標日数"
    )

    @extend_schema_field(DecisionTimingOut(allow_null=True))
    def get_decision_timing(self, application: Application) -> dict | None:
        timing = decision_timing(application)
        return timing.as_dict() if timing else None


class ChangeRequestIn(serializers.Serializer):
    """利用変更（中止）申請 for an approved application the user may see."""

    application = VisibleObject(access.applications_visible_to, queryset=Application.objects.all())
    kind = serializers.ChoiceField(choices=ChangeRequest.Kind.choices)
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    grants = _grants(required=False, default=dict)
    facility = serializers.PrimaryKeyRelatedField(
        queryset=Facility.objects.all(), required=False, allow_null=True
    )
    valid_until = DayField(required=False, allow_null=True)


class DecideIn(serializers.Serializer):
    approve = serializers.BooleanField(help_text="true: 承認、false: 不承認（reason が必要）")
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class ChangeDecisionOut(serializers.Serializer):
    change_request = ChangeRequestOut()
    decision = DecisionOut(allow_null=True, help_text="承認のときの決定通知書。不承認は null")
