"""Tokens, the audit trail per account, and the public programme descriptions."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import ViewSet

from sango.api import selectors
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


class TokenView(InJapanese, ObtainAuthToken):
    """``POST /api/auth/token/``: a username and password for the account's API token."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    serializer_class = AuthTokenSerializer

    @extend_schema(
        tags=["auth"],
        summary="APIトークンを取得する",
        request=TokenIn,
        responses={200: TokenOut, **errors(400, public=True)},
        auth=[],
    )
    def post(self, request: Request, *args: object, **kwargs: object) -> Response:
        serializer = self.serializer_class(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, _ = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response(TokenOut({"token": token.key}).data)


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
