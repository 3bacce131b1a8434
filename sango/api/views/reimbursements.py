"""Out-of-area reimbursements (償還払い): submitted by the mother for her own voucher or by
municipal staff; decided by the municipality's approver."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from sango.api import selectors
from sango.api.permissions import IsApprover, IsMunicipalStaffOrMother
from sango.api.schema import errors
from sango.api.serializers.applications import ReasonIn
from sango.api.serializers.money import ReimbursementIn, ReimbursementOut
from sango.api.views.base import ApiViewSet
from sango.reimbursements.models import Reimbursement
from sango.reimbursements.services import (
    reimbursement_approve,
    reimbursement_reject,
    reimbursement_submit,
)

TAG = ["reimbursements"]


@extend_schema_view(
    list=extend_schema(
        tags=TAG,
        summary="償還払いの請求の一覧",
        responses={200: ReimbursementOut(many=True), **errors()},
    ),
    retrieve=extend_schema(
        tags=TAG, summary="償還払いの請求", responses={200: ReimbursementOut, **errors(404)}
    ),
    create=extend_schema(
        tags=TAG,
        summary="償還払いを請求する（ご本人、または市町村の職員）",
        request=ReimbursementIn,
        responses={201: ReimbursementOut, **errors(400, 409)},
    ),
)
class ReimbursementViewSet(ApiViewSet):
    """償還払い: submitted by the mother or staff, decided by the approver."""

    model = Reimbursement

    def get_permissions(self) -> list:
        if self.action == "create":
            return [IsMunicipalStaffOrMother()]
        if self.action in ("approve", "reject"):
            return [IsApprover()]
        return super().get_permissions()

    def scoped(self) -> QuerySet:
        return selectors.reimbursements_for(self.request.user)

    def _render_fresh(self, reimbursement: Reimbursement, code: int = status.HTTP_200_OK):
        return self.render(ReimbursementOut, self.get_queryset().get(pk=reimbursement.pk), code)

    def list(self, request: Request) -> Response:
        return self.paged(self.get_queryset(), ReimbursementOut)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self.render(ReimbursementOut, self.get_object())

    def create(self, request: Request) -> Response:
        reimbursement = reimbursement_submit(actor=request.user, **self.validated(ReimbursementIn))
        return self._render_fresh(reimbursement, status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAG,
        summary="支給決定（決裁者のみ）。利用記録として上限に数えます",
        request=None,
        responses={200: ReimbursementOut, **errors(404, 409, 422)},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        reimbursement = reimbursement_approve(reimbursement=self.get_object(), actor=request.user)
        return self._render_fresh(reimbursement)

    @extend_schema(
        tags=TAG,
        summary="不支給（決裁者のみ）",
        request=ReasonIn,
        responses={200: ReimbursementOut, **errors(400, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        reason = self.validated(ReasonIn)["reason"]
        reimbursement = reimbursement_reject(
            reimbursement=self.get_object(), actor=request.user, reason=reason
        )
        return self._render_fresh(reimbursement)
