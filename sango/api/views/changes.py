"""Change requests (利用変更・中止申請): submitted for an approved application, decided by the
municipality's approver."""

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
from sango.api.serializers.applications import (
    ChangeDecisionOut,
    ChangeRequestIn,
    ChangeRequestOut,
    DecideIn,
)
from sango.api.views.base import ApiViewSet
from sango.applications.changes import change_request_decide, change_request_submit
from sango.applications.models import ChangeRequest

TAG = ["change-requests"]


@extend_schema_view(
    list=extend_schema(
        tags=TAG,
        summary="変更・中止の申請の一覧",
        responses={200: ChangeRequestOut(many=True), **errors()},
    ),
    retrieve=extend_schema(
        tags=TAG, summary="変更・中止の申請", responses={200: ChangeRequestOut, **errors(404)}
    ),
    create=extend_schema(
        tags=TAG,
        summary="承認済みの申請の変更・中止を申請する（市町村の職員、またはご本人）",
        request=ChangeRequestIn,
        responses={201: ChangeRequestOut, **errors(400, 409)},
    ),
)
class ChangeRequestViewSet(ApiViewSet):
    """利用変更（中止）申請: by staff or the mother; decided by the approver."""

    model = ChangeRequest

    def get_permissions(self) -> list:
        if self.action == "create":
            return [IsMunicipalStaffOrMother()]
        return super().get_permissions()

    def scoped(self) -> QuerySet:
        return selectors.change_requests_for(self.request.user)

    def list(self, request: Request) -> Response:
        return self.paged(self.get_queryset(), ChangeRequestOut)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self.render(ChangeRequestOut, self.get_object())

    def create(self, request: Request) -> Response:
        data = self.validated(ChangeRequestIn)
        change = change_request_submit(
            application=data["application"],
            actor=request.user,
            kind=data["kind"],
            reason=data["reason"],
            grants=data["grants"],
            facility_id=data["facility"].pk if data.get("facility") else None,
            valid_until=data.get("valid_until"),
        )
        return self.render(ChangeRequestOut, change, status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAG,
        summary="承認・不承認（決裁者のみ）",
        request=DecideIn,
        responses={200: ChangeDecisionOut, **errors(400, 404, 409)},
    )
    @action(detail=True, methods=["post"], permission_classes=[IsApprover])
    def decide(self, request: Request, pk: str) -> Response:
        change = self.get_object()
        data = self.validated(DecideIn)
        decision = change_request_decide(
            change=change, actor=request.user, approve=data["approve"], reason=data["reason"]
        )
        fresh = self.get_queryset().get(pk=change.pk)
        return self.render(ChangeDecisionOut, {"change_request": fresh, "decision": decision})
