"""Uses (利用記録): recorded by the facility where the service was given, judged by the rules
core; quoted without saving; voided or corrected, never edited."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from sango.api import selectors
from sango.api.permissions import IsFacilityStaff, IsMunicipalOrFacilityStaff, MayQuote, role_of
from sango.api.schema import IDEMPOTENCY_KEY, errors
from sango.api.serializers.usage import (
    IDEMPOTENCY_KEY_MAX,
    CorrectIn,
    QuoteIn,
    QuoteOut,
    UseFilterIn,
    UseIn,
    UseOut,
    UseWriter,
    VoidIn,
)
from sango.api.views.base import ApiViewSet
from sango.usage.models import Use
from sango.usage.selectors import UseDetails
from sango.usage.services import use_correct, use_judge, use_record, use_void

TAG = ["uses"]
FIELD = "idempotency_key"  # the name the usage services and the Use model give it


def idempotency_key(request: Request) -> str:
    """The ``Idempotency-Key`` header; a 400 on ``idempotency_key`` when missing or too long."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        raise ValidationError(
            {FIELD: "再送キー（Idempotency-Key ヘッダー）を付けてください。"}, code="required"
        )
    if len(key) > IDEMPOTENCY_KEY_MAX:
        raise ValidationError(
            {
                FIELD: f"再送キー（Idempotency-Key ヘッダー）は{IDEMPOTENCY_KEY_MAX}文字以内にして"
                "ください。"
            },
            code="max_length",
        )
    return key


@extend_schema_view(
    list=extend_schema(
        tags=TAG,
        summary="利用記録の一覧（施設: 自施設、市町村: 自市町村、産婦: ご自分）",
        parameters=[UseFilterIn],
        responses={200: UseOut(many=True), **errors(400)},
    ),
    retrieve=extend_schema(tags=TAG, summary="利用記録", responses={200: UseOut, **errors(404)}),
)
class UseViewSet(ApiViewSet):
    """利用記録: recorded by facility staff, judged by the rules core, never edited."""

    model = Use

    def get_permissions(self) -> list:
        allowed: dict[str, Any] = {
            "create": IsFacilityStaff,
            "quote": MayQuote,
            "void": IsMunicipalOrFacilityStaff,
            "correct": IsMunicipalOrFacilityStaff,
        }
        if self.action in allowed:
            return [allowed[self.action]()]
        return super().get_permissions()

    def scoped(self) -> QuerySet:
        return selectors.uses_for(self.request.user)

    def list(self, request: Request) -> Response:
        query = self.validated(UseFilterIn, request.query_params)
        uses = selectors.use_page(
            request.user, voucher_id=query.get("voucher"), status=query.get("status")
        )
        page = self.paginate_queryset(uses)
        write = UseWriter()
        return self.get_paginated_response([write(row) for row in page])

    def retrieve(self, request: Request, pk: str) -> Response:
        return self.render(UseOut, self.get_object())

    @extend_schema(
        tags=TAG,
        summary="利用を記録する（施設の職員。Idempotency-Key ヘッダーが必要）",
        description=(
            "施設はログインした職員の施設です。同じ再送キーで送り直すと、最初に記録した利用を"
            "200で返します（新しく記録したときは201）。別の利用券の記録に使ったキーは400"
            "（idempotency_conflict）。ヘッダーの誤りは field が idempotency_key のエラーです。"
            "制度上利用できないときは422で、制度の理由ごとに1件のエラーを返します。"
        ),
        parameters=[IDEMPOTENCY_KEY],
        request=UseIn,
        responses={
            201: UseOut,
            200: OpenApiResponse(UseOut, description="同じ再送キーで記録済みの利用"),
            **errors(400, 404, 409, 422),
        },
    )
    def create(self, request: Request) -> Response:
        key = idempotency_key(request)
        data = self.validated(UseIn)
        voucher = data.pop("voucher")
        use = use_record(
            voucher_id=voucher.pk,
            facility=request.user.facility,
            actor=request.user,
            idempotency_key=key,
            **data,
        )
        code = status.HTTP_200_OK if use.retried else status.HTTP_201_CREATED
        return self.render(UseOut, use, code)

    @extend_schema(
        tags=TAG,
        summary="記録せずに判定する（助成額・自己負担額・上限の残り）",
        request=QuoteIn,
        responses={200: QuoteOut, **errors(400, 404, 409, 422)},
    )
    @action(detail=False, methods=["post"])
    def quote(self, request: Request) -> Response:
        data = self.validated(QuoteIn)
        facility = data.pop("facility", None)
        if role_of(request.user) == "facility":
            facility = request.user.facility
        voucher = data.pop("voucher")
        result = use_judge(voucher=voucher, facility=facility, details=UseDetails(**data))
        return self.render(QuoteOut, result.as_dict())

    @extend_schema(
        tags=TAG,
        summary="利用記録を取り消す（記録は理由とともに残ります）",
        request=VoidIn,
        responses={200: UseOut, **errors(400, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def void(self, request: Request, pk: str) -> Response:
        use = self.get_object()
        use_void(use=use, actor=request.user, reason=self.validated(VoidIn)["reason"])
        return self.render(UseOut, self.get_queryset().get(pk=use.pk))

    @extend_schema(
        tags=TAG,
        summary="利用記録を訂正する（元の記録を取り消し、訂正後の記録を作ります）",
        request=CorrectIn,
        responses={201: UseOut, **errors(400, 404, 409, 422)},
    )
    @action(detail=True, methods=["post"])
    def correct(self, request: Request, pk: str) -> Response:
        use = self.get_object()
        changes = self.validated(CorrectIn)
        reason = changes.pop("reason")
        corrected = use_correct(use=use, actor=request.user, reason=reason, **changes)
        return self.render(
            UseOut, self.get_queryset().get(pk=corrected.pk), status.HTTP_201_CREATED
        )
