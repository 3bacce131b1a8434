"""Accounts (token), the audit trail and the public programme descriptions."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from sango.api.fields import DayField
from sango.api.selectors import ProgrammeVersion
from sango.rules import schema as s


class TokenIn(serializers.Serializer):
    username = serializers.CharField(max_length=254)
    password = serializers.CharField(max_length=128, style={"input_type": "password"})
    otp = serializers.CharField(
        max_length=32,
        required=False,
        help_text="2段階認証を設定したアカウント: 認証アプリの6けたの数字または回復コード",
    )


class TokenOut(serializers.Serializer):
    token = serializers.CharField(help_text="Authorization: Token <token> として送ります")
    expiry = serializers.DateTimeField(help_text="この時刻を過ぎるとトークンは使えません")


class AuditFilterIn(serializers.Serializer):
    # Bounded by the largest id a database column holds: a larger number is a 400, not a 500.
    actor = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="アカウントのID")


class AuditEventOut(serializers.Serializer):
    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    action = serializers.CharField()
    actor = serializers.IntegerField(source="actor_id", allow_null=True)
    actor_username = serializers.CharField(source="actor.username", allow_null=True)
    target_type = serializers.CharField()
    target_id = serializers.IntegerField()
    application = serializers.IntegerField(source="application_id", allow_null=True)
    before = serializers.JSONField(help_text="変更前の状態と金額（個人情報は含みません）")
    after = serializers.JSONField(help_text="変更後の状態と金額（個人情報は含みません）")


class OnIn(serializers.Serializer):
    on = DayField(required=False, help_text="この日に有効な版（省略時は今日）")

    def validate(self, attrs: dict) -> dict:
        attrs.setdefault("on", timezone.localdate())
        return attrs


class VersionBriefOut(serializers.Serializer):
    effective_from = DayField()
    effective_until = DayField(allow_null=True, help_text="この日を含む")
    mode = serializers.CharField(source="process.mode")


class ProgrammeOut(serializers.Serializer):
    code = serializers.CharField(help_text="全国地方公共団体コード")
    name = serializers.CharField()
    prefecture = serializers.CharField(source="document.municipality.prefecture")
    versions = VersionBriefOut(many=True)


class SubtypeOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    over_hours = serializers.FloatField(source="duration.over_hours", allow_null=True)
    up_to_hours = serializers.FloatField(source="duration.up_to_hours", allow_null=True)


class ServiceOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField(allow_null=True)
    unit = serializers.CharField()
    window = serializers.SerializerMethodField(help_text="サービス独自の産後の期間")
    subtypes = SubtypeOut(many=True)

    def get_window(self, service: s.Service) -> str | None:
        return service.window.label() if service.window else None


class CapOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    limit = serializers.IntegerField()
    services = serializers.ListField(child=serializers.CharField())
    per_additional_infant = serializers.IntegerField()
    extension = serializers.IntegerField(allow_null=True)
    period = serializers.CharField()
    beyond = serializers.CharField()


class TierOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField(allow_null=True)


class ProgrammeVersionOut(serializers.Serializer):
    code = serializers.CharField(source="program.code")
    name = serializers.CharField(source="program.name")
    on = DayField()
    effective_from = DayField(source="rules.effective_from")
    effective_until = DayField(source="rules.effective_until", allow_null=True)
    mode = serializers.CharField(source="rules.process.mode")
    channels = serializers.ListField(child=serializers.CharField(), source="rules.process.channels")
    postpartum_window = serializers.SerializerMethodField()
    services = ServiceOut(many=True)
    caps = CapOut(many=True)
    tiers = TierOut(many=True)

    def get_postpartum_window(self, version: ProgrammeVersion) -> str:
        return version.rules.eligibility.postpartum_window.label()
