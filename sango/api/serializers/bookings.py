"""Provisional bookings (仮予約)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from sango.accounts import access
from sango.api.fields import DayField
from sango.api.permissions import role_of
from sango.api.serializers.common import (
    FacilityBriefOut,
    MotherBriefOut,
    PresentedVoucherIn,
    VisibleObject,
    display,
)
from sango.applications.models import Application
from sango.facilities.models import Facility
from sango.mothers.models import Mother

ROLE_FACILITY = "facility"


class BookingIn(PresentedVoucherIn):
    """A booking. Municipal staff name the ``facility`` and the ``mother`` (and optionally her
    ``application``); facility staff book at their own facility for the mother whose voucher
    they are shown (``voucher``, ``number`` + ``mother_birth_date`` or ``qr``)."""

    facility = serializers.PrimaryKeyRelatedField(
        queryset=Facility.objects.all(), required=False, help_text="施設ID（市町村の職員のみ）"
    )
    mother = VisibleObject(access.mothers_visible_to, queryset=Mother.objects.all(), required=False)
    application = VisibleObject(
        access.applications_visible_to,
        queryset=Application.objects.all(),
        required=False,
        allow_null=True,
    )
    service = serializers.CharField(max_length=40)
    start_date = DayField()
    end_date = DayField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["end_date"] < attrs["start_date"]:
            raise serializers.ValidationError(
                {"end_date": "終了日は開始日以降にしてください。"}, code="invalid"
            )
        user = self.context["request"].user
        if role_of(user) == ROLE_FACILITY:
            return self._for_facility(attrs, user)
        missing = {
            key: "この項目は必須です。" for key in ("facility", "mother") if not attrs.get(key)
        }
        if missing:
            raise serializers.ValidationError(missing, code="required")
        return attrs

    def _for_facility(self, attrs: dict[str, Any], user: Any) -> dict[str, Any]:
        facility = attrs.get("facility")
        if facility is not None and facility.pk != user.facility_id:
            raise serializers.ValidationError(
                {"facility": "ご自分の施設の予約だけを登録できます。"}, code="invalid"
            )
        voucher = super().validate(attrs)["voucher"]
        attrs["facility"] = user.facility
        attrs["mother"] = voucher.mother
        attrs["application"] = voucher.application
        return attrs


class BookingOut(serializers.Serializer):
    id = serializers.IntegerField()
    facility = FacilityBriefOut()
    municipality = serializers.CharField(source="municipality.code")
    mother = MotherBriefOut()
    application = serializers.IntegerField(source="application_id", allow_null=True)
    service = serializers.CharField()
    start_date = DayField()
    end_date = DayField(help_text="終了日（この日を含む）")
    status = serializers.CharField()
    status_display = display("status")
    note = serializers.CharField()
    created_at = serializers.DateTimeField()
