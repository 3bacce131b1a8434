"""Uses (利用記録): recording, quoting, voiding and correcting, and what a use shows."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from functools import cache
from typing import Any

from django.utils import timezone, translation
from rest_framework import serializers

from sango.api.fields import DayField
from sango.api.selectors import USE_ROW
from sango.api.serializers.common import (
    ChoiceLabelField,
    FacilityBriefOut,
    FreshFields,
    PresentedVoucherIn,
    ReasonOut,
    TierDisplayField,
)
from sango.facilities.models import Facility
from sango.programs.rules_for import tier_name
from sango.rules.request import EXTRAS_MAX, FEE_MAX, FEE_MIN, INFANTS_MAX, QUANTITY_MAX
from sango.usage.models import Use

IDEMPOTENCY_KEY_MAX = 80  # Use.idempotency_key max_length


class UseFieldsIn(FreshFields):
    """What happened: the service on a day, or from ``start`` to ``end`` (which decides the
    quantity and, for day care, the sub-type). Money in yen."""

    service = serializers.RegexField(r"^[a-z][a-z0-9_]*$", max_length=40)
    day = DayField(required=False, help_text="利用日（start を書くときは省略可）")
    start = serializers.DateTimeField(required=False)
    end = serializers.DateTimeField(required=False)
    quantity = serializers.IntegerField(min_value=1, max_value=QUANTITY_MAX, required=False)
    infants = serializers.IntegerField(min_value=0, max_value=INFANTS_MAX, default=1)
    fee = serializers.IntegerField(
        min_value=FEE_MIN,
        max_value=FEE_MAX,
        required=False,
        help_text="1単位あたりの料金（円）。省略時は契約の料金",
    )
    extras = serializers.IntegerField(
        min_value=0, max_value=EXTRAS_MAX, default=0, help_text="助成の対象外の費用（円）"
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        start, end = attrs.get("start"), attrs.get("end")
        if (start is None) != (end is None):
            field = "end" if start else "start"
            raise serializers.ValidationError(
                {field: "開始日時と終了日時は両方入力してください。"}, code="required"
            )
        if start and end <= start:
            raise serializers.ValidationError(
                {"end": "終了日時は開始日時より後にしてください。"}, code="invalid"
            )
        if not start and not attrs.get("day"):
            raise serializers.ValidationError(
                {"day": "利用日か開始日時を入力してください。"}, code="required"
            )
        return attrs


class UseIn(PresentedVoucherIn, UseFieldsIn):
    """A use at the facility of the staff member, for the voucher they were shown."""

    own_patient = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="受診者か（受診者のみの施設）"
    )
    mother_present = serializers.BooleanField(default=True)


class QuoteIn(UseIn):
    """The same as a use, judged without saving. Facility staff quote at their own facility;
    others may name a ``facility``."""

    facility = serializers.PrimaryKeyRelatedField(
        queryset=Facility.objects.all(), required=False, allow_null=True
    )


class CorrectIn(serializers.Serializer):
    """訂正: the reason and only the fields that change; the rest are kept."""

    reason = serializers.CharField(max_length=200)
    service = serializers.RegexField(r"^[a-z][a-z0-9_]*$", max_length=40, required=False)
    day = DayField(required=False)
    start = serializers.DateTimeField(required=False)
    end = serializers.DateTimeField(required=False)
    quantity = serializers.IntegerField(min_value=1, max_value=QUANTITY_MAX, required=False)
    infants = serializers.IntegerField(min_value=0, max_value=INFANTS_MAX, required=False)
    fee = serializers.IntegerField(min_value=FEE_MIN, max_value=FEE_MAX, required=False)
    extras = serializers.IntegerField(min_value=0, max_value=EXTRAS_MAX, required=False)


class VoidIn(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class UseFilterIn(FreshFields):
    # Bounded by the largest id a database column holds: a larger number is a 400, not a 500.
    voucher = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    status = serializers.ChoiceField(choices=tuple(Use.Status.choices), required=False)


class FundingOut(serializers.Serializer):
    source = serializers.CharField()
    amount = serializers.IntegerField(help_text="円")


class QuoteOut(serializers.Serializer):
    """The rules core's judgement, nothing saved. Money in integer yen; quantities in each
    cap's unit."""

    eligible = serializers.BooleanField()
    reasons = ReasonOut(many=True, help_text="利用できない理由（eligible が false のとき）")
    service = serializers.CharField(help_text="判定したサービス（区分があれば区分のコード）")
    quantity = serializers.IntegerField()
    version = DayField(allow_null=True, help_text="適用した制度の版の開始日")
    counted = serializers.DictField(child=serializers.IntegerField())
    remaining = serializers.DictField(child=serializers.IntegerField())
    fee = serializers.IntegerField(allow_null=True)
    subsidy = serializers.IntegerField()
    copay = serializers.IntegerField(allow_null=True)
    extras = serializers.IntegerField()
    mother_pays = serializers.IntegerField(allow_null=True, help_text="自己負担額＋対象外の費用")
    funding = FundingOut(many=True)
    notices = ReasonOut(many=True)


class UseOut(serializers.Serializer):
    id = serializers.IntegerField()
    voucher = serializers.IntegerField(source="voucher_id")
    voucher_number = serializers.CharField(source="voucher.number")
    facility = FacilityBriefOut(allow_null=True)
    source = serializers.CharField()
    source_display = ChoiceLabelField(Use.Source.choices, source="source")
    status = serializers.CharField()
    status_display = ChoiceLabelField(Use.Status.choices, source="status")
    service = serializers.CharField()
    day = DayField()
    start = serializers.DateTimeField(allow_null=True)
    end = serializers.DateTimeField(allow_null=True)
    quantity = serializers.IntegerField()
    infants = serializers.IntegerField()
    tier = serializers.CharField()
    tier_display = TierDisplayField()
    fee = serializers.IntegerField(help_text="1単位あたりの料金（円）")
    extras = serializers.IntegerField(help_text="助成の対象外の費用（円）")
    subsidy = serializers.IntegerField(help_text="市の負担額（円）")
    copay = serializers.IntegerField(help_text="自己負担額（円）")
    funding = FundingOut(many=True)
    counted = serializers.DictField(child=serializers.IntegerField())
    version = DayField(help_text="適用した制度の版の開始日")
    corrects = serializers.IntegerField(source="corrects_id", allow_null=True)
    recorded_at = serializers.DateTimeField()
    void_reason = serializers.CharField()
    voided_at = serializers.DateTimeField(allow_null=True)

    def to_representation(self, use: Use) -> dict[str, Any]:
        """The fields above written out by hand (``UseWriter``), from the use read as a list
        row; ``api/tests/test_query_counts.py`` checks that DRF's generic walk agrees."""
        return UseWriter()(use_row(use))


def use_row(use: Use) -> dict[str, Any]:
    """A use (with its voucher and facility) as a row of ``selectors.use_page``. Only a tier's
    name needs the municipality, which a use without a tier need not load."""
    row = {name: _value_at(use, name) for name in USE_ROW if name != "municipality__code"}
    row["municipality__code"] = use.municipality.code if use.tier else None
    return row


def _value_at(use: Use, name: str) -> Any:
    value: Any = use
    for part in name.split("__"):
        if value is None:  # no facility
            return None
        value = getattr(value, part)
    return value


@cache
def _labels(language: str) -> tuple[dict[str, str], dict[str, str]]:
    """The source and status labels in ``language`` (the active one), as plain strings: a
    lazy label looks its translation up each time it is read."""
    return (
        {value: str(label) for value, label in Use.Source.choices},
        {value: str(label) for value, label in Use.Status.choices},
    )


class UseWriter:
    """Writes rows of ``selectors.use_page`` as ``UseOut`` describes them. The list of uses is
    the API's busiest read and DRF's generic walk over 27 fields costs more per row than
    fetching it, so what is the same for every row — the labels in the active language, the
    time zone, each tier's name — is looked up once per writer (one per response)."""

    def __init__(self) -> None:
        self.sources, self.statuses = _labels(translation.get_language() or "")
        self.zone = timezone.get_current_timezone()
        self.tiers: dict[tuple[str, str], str] = {}

    def __call__(self, row: dict[str, Any]) -> dict[str, Any]:
        zone = self.zone
        source, status, tier = row["source"], row["status"], row["tier"]
        return {
            "id": row["id"],
            "voucher": row["voucher_id"],
            "voucher_number": row["voucher__number"],
            "facility": None
            if row["facility_id"] is None
            else {
                "id": row["facility_id"],
                "slug": row["facility__slug"],
                "name": row["facility__name"],
            },
            "source": source,
            "source_display": self.sources.get(source, source),
            "status": status,
            "status_display": self.statuses.get(status, status),
            "service": row["service"],
            "day": _day(row["day"]),
            "start": _moment(row["start"], zone),
            "end": _moment(row["end"], zone),
            "quantity": row["quantity"],
            "infants": row["infants"],
            "tier": tier,
            "tier_display": self.tier_name(row["municipality__code"], tier) if tier else "",
            "fee": row["fee"],
            "extras": row["extras"],
            "subsidy": row["subsidy"],
            "copay": row["copay"],
            "funding": [
                {"source": str(part["source"]), "amount": int(part["amount"])}
                for part in row["funding"]
            ],
            "counted": {str(cap): int(n) for cap, n in row["counted"].items()},
            "version": _day(row["version"]),
            "corrects": row["corrects_id"],
            "recorded_at": _moment(row["recorded_at"], zone),
            "void_reason": row["void_reason"],
            "voided_at": _moment(row["voided_at"], zone),
        }

    def tier_name(self, code: str, tier: str) -> str:
        name = self.tiers.get((code, tier))
        if name is None:
            name = self.tiers[code, tier] = tier_name(code, tier)
        return name


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _moment(value: datetime | None, zone: tzinfo) -> str | None:
    """As DRF's DateTimeField writes it: ISO 8601 in the current time zone, with microseconds
    when there are any, and ``Z`` for UTC."""
    if value is None:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text
