"""Facility claims (委託料請求): generated and submitted by the facility, reviewed line by line
by municipal staff, approved by the approver or returned."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from sango.api import selectors
from sango.api.permissions import IsApprover, IsFacilityStaff, IsMunicipalStaff
from sango.api.schema import errors
from sango.api.serializers.money import (
    ClaimDetailOut,
    ClaimGenerateIn,
    ClaimLineOut,
    ClaimOut,
    LineReviewIn,
)
from sango.api.views.base import ApiViewSet
from sango.billing.models import FacilityClaim
from sango.billing.services import (
    claim_approve,
    claim_generate,
    claim_line_review,
    claim_return,
    claim_submit,
)

TAG = ["claims"]
LINE_ID = OpenApiParameter("line_id", OpenApiTypes.INT, OpenApiParameter.PATH)


def _step(summary: str) -> extend_schema:
    return extend_schema(
        tags=TAG,
        summary=summary,
        request=None,
        responses={200: ClaimDetailOut, **errors(400, 404, 409)},
    )


@extend_schema_view(
    list=extend_schema(
        tags=TAG, summary="委託料請求の一覧", responses={200: ClaimOut(many=True), **errors()}
    ),
    retrieve=extend_schema(
        tags=TAG, summary="委託料請求（明細つき）", responses={200: ClaimDetailOut, **errors(404)}
    ),
)
class ClaimViewSet(ApiViewSet):
    """委託料請求: the facility generates and submits; the municipality reviews and approves."""

    model = FacilityClaim

    def get_permissions(self) -> list:
        allowed = {
            "generate": IsFacilityStaff,
            "submit": IsFacilityStaff,
            "review_line": IsMunicipalStaff,
            "approve": IsApprover,
            "return_": IsMunicipalStaff,
        }
        if self.action in allowed:
            return [allowed[self.action]()]
        return super().get_permissions()

    def scoped(self) -> QuerySet:
        if self.action == "list":
            return selectors.claims_for(self.request.user)
        return selectors.claim_details_for(self.request.user)

    def _claim(self, claim: FacilityClaim, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.claim_details_for(self.request.user).get(pk=claim.pk)
        return self.render(ClaimDetailOut, fresh, code)

    def list(self, request: Request) -> Response:
        return self.paged(self.get_queryset(), ClaimOut)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self.render(ClaimDetailOut, self.get_object())

    @extend_schema(
        tags=TAG,
        summary="その月の請求を作る・作り直す（施設の職員）",
        request=ClaimGenerateIn,
        responses={200: ClaimDetailOut, **errors(400, 409)},
    )
    @action(detail=False, methods=["post"])
    def generate(self, request: Request) -> Response:
        data = self.validated(ClaimGenerateIn)
        claim = claim_generate(
            facility=request.user.facility,
            municipality=data["municipality"],
            month=data["month"],
            actor=request.user,
        )
        return self._claim(claim)

    @_step("請求を提出する（施設の職員）")
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        return self._claim(claim_submit(claim=self.get_object(), actor=request.user))

    @extend_schema(
        tags=TAG,
        summary="明細を審査する（市町村の職員）: 承認、または番号つきの理由で返戻",
        parameters=[LINE_ID],
        request=LineReviewIn,
        responses={200: ClaimLineOut, **errors(400, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path=r"lines/(?P<line_id>\d+)/review")
    def review_line(self, request: Request, pk: str, line_id: str) -> Response:
        line = selectors.claim_line(self.get_object(), int(line_id))
        data = self.validated(LineReviewIn)
        claim_line_review(line=line, actor=request.user, **data)
        return self.render(ClaimLineOut, selectors.claim_line(line.claim, line.pk))

    @_step("請求を承認（確定）する（決裁者のみ）")
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        return self._claim(claim_approve(claim=self.get_object(), actor=request.user))

    @_step("請求を差し戻す（市町村の職員）")
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: str) -> Response:
        return self._claim(claim_return(claim=self.get_object(), actor=request.user))
