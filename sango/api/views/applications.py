"""Applications: list, draft, the case, and one action per step of the process.

Every action answers with the whole case as it now stands (``ApplicationDetailOut``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from sango.api import selectors
from sango.api.permissions import (
    IsApprover,
    IsMunicipalStaff,
    IsMunicipalStaffOrMother,
    MayReadAudit,
)
from sango.api.schema import errors
from sango.api.serializers.applications import (
    ApplicationCreateIn,
    ApplicationDetailOut,
    ApplicationFilterIn,
    ApplicationOut,
    ApproveIn,
    InterviewIn,
    ReasonIn,
    SubmitIn,
    VerifyTierIn,
)
from sango.api.serializers.misc import AuditEventOut
from sango.api.views.base import ApiViewSet
from sango.applications.models import Application
from sango.applications.services import (
    application_approve,
    application_create,
    application_record_interview,
    application_reject,
    application_submit,
    application_verify_tier,
)

TAG = ["applications"]


def _step(summary: str, request: type, *codes: int) -> Any:
    return extend_schema(
        tags=TAG,
        summary=summary,
        request=request,
        responses={200: ApplicationDetailOut, **errors(400, 404, 409, *codes)},
    )


@extend_schema_view(
    list=extend_schema(
        tags=TAG,
        summary="申請の一覧",
        parameters=[ApplicationFilterIn],
        responses={200: ApplicationOut(many=True), **errors(400)},
    ),
    retrieve=extend_schema(
        tags=TAG,
        summary="申請（聞き取り・承認量・決定・利用券・予約・変更申請を含む）",
        responses={200: ApplicationDetailOut, **errors(404)},
    ),
    create=extend_schema(
        tags=TAG,
        summary="申請の下書きを作る（市町村の職員、またはご本人）",
        request=ApplicationCreateIn,
        responses={201: ApplicationDetailOut, **errors(400)},
    ),
)
class ApplicationViewSet(ApiViewSet):
    """利用申請: staff see their municipality's, a mother her own; every step is one service."""

    model = Application

    def get_permissions(self) -> list:
        if self.action == "create":
            return [IsMunicipalStaffOrMother()]
        return super().get_permissions()

    def scoped(self) -> QuerySet:
        if self.action == "retrieve":
            return selectors.application_details_for(self.request.user)
        return selectors.applications_for(self.request.user)

    def _case(self, application: Application, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.application_details_for(self.request.user).get(pk=application.pk)
        return self.render(ApplicationDetailOut, fresh, code)

    def list(self, request: Request) -> Response:
        query = self.validated(ApplicationFilterIn, request.query_params)
        applications = selectors.applications_for(request.user, status=query.get("status"))
        return self.paged(applications, ApplicationOut)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self.render(ApplicationDetailOut, self.get_object())

    def create(self, request: Request) -> Response:
        data = self.validated(ApplicationCreateIn)
        application = application_create(
            actor=request.user,
            mother=data["mother"],
            office_id=data["office"].pk if data.get("office") else None,
            residence=data["residence"],
            home_municipality=data["home_municipality"],
            needs=data["needs"],
            requested=data["requested"],
            facility_id=data["facility"].pk if data.get("facility") else None,
        )
        return self._case(application, status.HTTP_201_CREATED)

    @_step("受付（提出）。ご本人はオンライン（制度が認める場合）でのみ", SubmitIn)
    @action(detail=True, methods=["post"], permission_classes=[IsMunicipalStaffOrMother])
    def submit(self, request: Request, pk: str) -> Response:
        application = self.get_object()
        application_submit(application=application, actor=request.user, **self.validated(SubmitIn))
        return self._case(application)

    @_step("聞き取り調査の記録", InterviewIn)
    @action(detail=True, methods=["post"], permission_classes=[IsMunicipalStaff])
    def interview(self, request: Request, pk: str) -> Response:
        application = self.get_object()
        application_record_interview(
            application=application, actor=request.user, **self.validated(InterviewIn)
        )
        return self._case(application)

    @_step("世帯の区分の確認", VerifyTierIn)
    @action(
        detail=True, methods=["post"], url_path="verify-tier", permission_classes=[IsMunicipalStaff]
    )
    def verify_tier(self, request: Request, pk: str) -> Response:
        application = self.get_object()
        data = self.validated(VerifyTierIn)
        application_verify_tier(
            application=application, actor=request.user, tier=data["tier"], basis=data["basis"]
        )
        return self._case(application)

    @_step("承認（決裁者のみ）。利用券を発行し、仮予約を確定します", ApproveIn)
    @action(detail=True, methods=["post"], permission_classes=[IsApprover])
    def approve(self, request: Request, pk: str) -> Response:
        application = self.get_object()
        data = self.validated(ApproveIn)
        application_approve(
            application=application,
            actor=request.user,
            grants=data["grants"],
            facility_id=data["facility"].pk if data.get("facility") else None,
            valid_from=data.get("valid_from"),
            valid_until=data.get("valid_until"),
        )
        return self._case(application)

    @_step("不承認（決裁者のみ）。仮予約は解除されます", ReasonIn)
    @action(detail=True, methods=["post"], permission_classes=[IsApprover])
    def reject(self, request: Request, pk: str) -> Response:
        application = self.get_object()
        application_reject(
            application=application, actor=request.user, reason=self.validated(ReasonIn)["reason"]
        )
        return self._case(application)

    @extend_schema(
        tags=TAG,
        summary="この申請の監査記録（市町村の職員・システム管理者）",
        responses={200: AuditEventOut(many=True), **errors(404)},
    )
    @action(detail=True, methods=["get"], permission_classes=[MayReadAudit])
    def audit(self, request: Request, pk: str) -> Response:
        application = self.get_object()
        return self.paged(selectors.application_audit(application), AuditEventOut)
