"""Mothers and their infants: personal data, shown only to those entitled (see access)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.validators import RegexValidator
from django.utils import timezone
from rest_framework import serializers

from sango.api.fields import DayField
from sango.mothers.models import Mother
from sango.mothers.services import MAX_INFANTS_AT_BIRTH

postal_code = RegexValidator(r"^\d{3}-?\d{4}$", "郵便番号は「719-1131」の形で入力してください。")
phone = RegexValidator(r"^[0-9()\- ]{6,20}$", "電話番号は数字とハイフンで入力してください。")


def _not_in_future(value: date) -> date:
    if value > timezone.localdate():
        raise serializers.ValidationError("未来の日付は入力できません。", code="future_date")
    return value


class InfantIn(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    birth_date = DayField(validators=[_not_in_future])
    due_date = DayField(required=False, allow_null=True, default=None)


class MotherIn(serializers.Serializer):
    """A mother to register at the municipality of the staff member, with her infants."""

    name = serializers.CharField(max_length=100)
    name_kana = serializers.CharField(max_length=100)
    birth_date = DayField(validators=[_not_in_future])
    postal_code = serializers.CharField(max_length=8, validators=[postal_code])
    address = serializers.CharField(max_length=200)
    phone = serializers.CharField(max_length=20, validators=[phone])
    infants = InfantIn(
        many=True,
        required=False,
        default=list,
        max_length=MAX_INFANTS_AT_BIRTH,
        error_messages={"max_length": "乳児は{max_length}人まで登録できます。"},
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        for index, infant in enumerate(attrs.get("infants", [])):
            if infant["birth_date"] <= attrs["birth_date"]:
                raise serializers.ValidationError(
                    {f"infants.{index}.birth_date": "乳児の生年月日が産婦の生年月日より前です。"},
                    code="invalid",
                )
        return attrs


class InfantOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    birth_date = DayField()
    due_date = DayField(allow_null=True)


class MotherOut(serializers.Serializer):
    id = serializers.IntegerField()
    municipality = serializers.CharField(source="municipality.code", help_text="市町村コード")
    name = serializers.CharField()
    name_kana = serializers.CharField()
    birth_date = DayField()
    postal_code = serializers.CharField()
    address = serializers.CharField()
    phone = serializers.CharField()
    delivery_date = DayField(allow_null=True, help_text="直近の出生日（産後の起算日）")
    infants = InfantOut(many=True)
    has_account = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_has_account(self, mother: Mother) -> bool:
        return mother.user_id is not None
