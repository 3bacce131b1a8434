"""Tokens (log in and out), the audit trail per account, and the public programme descriptions."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from knox.models import AuthToken
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView
from rest_framework.viewsets import ViewSet

from sango.api import selectors
from sango.api.parsers import JSONParser
from sango.api.permissions import MayReadAudit
from sango.api.schema import errors
from sango.api.serializers.misc import (
    AuditEventOut,
    AuditFilterIn,
    OnIn,
    ProgrammeOut,
    ProgrammeVersionOut,
    TokenIn,
    TokenOut,
)
from sango.api.views.base import ApiViewSet, InJapanese
from sango.audit.models import AuditEvent
from sango.security import sessions, two_factor
from sango.security.throttle import lockout_response


class TokenView(InJapanese, APIView):
    """``POST /api/auth/token/``: a username and password (and the second factor's code, for an
    account that has one) for a new API token. Only its hash is kept; it expires after
    ``REST_KNOX["TOKEN_TTL"]``. Wrong passwords count towards the same lockout as the portals'
    logins, and an unknown username is answered exactly like a wrong password."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    # The API's JSON parser (bounded nesting) first; forms as DRF's token view accepts them.
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(
        tags=["auth"],
        summary="APIトークンを取得する",
        request=TokenIn,
        responses={200: TokenOut, **errors(400, 403, 429, public=True)},
        auth=[],
    )
    def post(self, request: Request, *args: object, **kwargs: object) -> Response:
        data = TokenIn(data=request.data)
        data.is_valid(raise_exception=True)
        typed = data.validated_data["username"].strip()
        # The Django request: django-axes counts the failure on it and answers a lockout.
        user = authenticate(
            request._request,
            username=typed.lower() if "@" in typed else typed,
            password=data.validated_data["password"],
        )
        if user is None:
            if getattr(request._request, "axes_locked_out", False):
                return lockout_response(request._request)
            raise ValidationError(
                {api_settings.NON_FIELD_ERRORS_KEY: [WRONG_LOGIN]}, code="authorization"
            )
        if two_factor.has_second_factor(user):
            if not two_factor.verify_user(user, data.validated_data.get("otp", "")):
                raise ValidationError({"otp": [WRONG_CODE]}, code="invalid")
        elif two_factor.required_for(user):
            raise PermissionDenied(SETUP_FIRST)
        AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
        instance, token = AuthToken.objects.create(user)
        return Response(TokenOut({"token": token, "expiry": instance.expiry}).data)


WRONG_LOGIN = _("ユーザー名またはパスワードが正しくありません。")
WRONG_CODE = _("2段階認証のコードが違います。認証アプリに今表示されている数字を送ってください。")
SETUP_FIRST = _(
    "このアカウントは2段階認証が必要です。先に職員・施設の画面の「ログインの設定」で設定してください。"
)


class TokenLogoutView(InJapanese, APIView):
    """``POST /api/auth/logout/``: the token sent with this request stops working."""

    @extend_schema(
        tags=["auth"],
        summary="このAPIトークンを無効にする（ログアウト）",
        request=None,
        responses={204: None, **errors()},
    )
    def post(self, request: Request, *args: object, **kwargs: object) -> Response:
        if isinstance(request.auth, AuthToken):
            request.auth.delete()
        return Response(status=204)


class TokenLogoutAllView(InJapanese, APIView):
    """``POST /api/auth/logout-all/``: every token and every session of the account end."""

    @extend_schema(
        tags=["auth"],
        summary="このアカウントのすべてのトークンとログインを終わらせる",
        request=None,
        responses={204: None, **errors()},
    )
    def post(self, request: Request, *args: object, **kwargs: object) -> Response:
        sessions.end_everywhere(request.user)
        return Response(status=204)


@extend_schema_view(
    list=extend_schema(
        tags=["audit"],
        summary="アカウントごとの監査記録（市町村の職員: 自市町村の記録、システム管理者）",
        parameters=[AuditFilterIn],
        responses={200: AuditEventOut(many=True), **errors(400)},
    )
)
class AuditViewSet(ApiViewSet):
    """監査記録 per account: municipal staff (their municipality's events) and administrators."""

    model = AuditEvent
    permission_classes = [MayReadAudit]

    def list(self, request: Request) -> Response:
        actor = self.validated(AuditFilterIn, request.query_params)["actor"]
        return self.paged(selectors.audit_by_actor_for(request.user, actor_id=actor), AuditEventOut)


class ProgrammeViewSet(InJapanese, ViewSet):
    """The programmes this installation has loaded: public, read-only."""

    permission_classes = [AllowAny]
    lookup_field = "code"
    lookup_value_regex = r"\d{6}"

    @extend_schema(
        tags=["programmes"],
        summary="読み込まれている制度（市町村）と版の一覧",
        responses={200: ProgrammeOut(many=True)},
        auth=[],
    )
    def list(self, request: Request) -> Response:
        return Response(ProgrammeOut(selectors.programmes(), many=True).data)

    @extend_schema(
        tags=["programmes"],
        summary="指定日（?on=）に有効な版: サービス・上限・世帯の区分",
        parameters=[OnIn],
        responses={200: ProgrammeVersionOut, **errors(400, 404, public=True)},
        auth=[],
    )
    def retrieve(self, request: Request, code: str) -> Response:
        query = OnIn(data=request.query_params)
        query.is_valid(raise_exception=True)
        version = selectors.programme_version(code, query.validated_data["on"])
        return Response(ProgrammeVersionOut(version).data)
