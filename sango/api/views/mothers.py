"""Mothers: municipal staff list and register their municipality's; a mother sees herself."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from sango.api import selectors
from sango.api.permissions import IsMunicipalStaff
from sango.api.schema import errors
from sango.api.serializers.mothers import MotherIn, MotherOut
from sango.api.views.base import ApiViewSet
from sango.mothers.models import Mother
from sango.mothers.services import mother_create

TAG = ["mothers"]


@extend_schema_view(
    list=extend_schema(
        tags=TAG, summary="産婦の一覧", responses={200: MotherOut(many=True), **errors()}
    ),
    retrieve=extend_schema(tags=TAG, summary="産婦", responses={200: MotherOut, **errors(404)}),
    create=extend_schema(
        tags=TAG,
        summary="産婦を乳児とともに登録する（市町村の職員）",
        request=MotherIn,
        responses={201: MotherOut, **errors(400)},
    ),
)
class MotherViewSet(ApiViewSet):
    """産婦: municipal staff list and register their municipality's; a mother sees herself."""

    model = Mother

    def get_permissions(self) -> list:
        if self.action == "create":
            return [IsMunicipalStaff()]
        return super().get_permissions()

    def scoped(self) -> QuerySet:
        return selectors.mothers_for(self.request.user)

    def list(self, request: Request) -> Response:
        return self.paged(self.get_queryset(), MotherOut)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self.render(MotherOut, self.get_object())

    def create(self, request: Request) -> Response:
        mother = mother_create(actor=request.user, **self.validated(MotherIn))
        return self.render(
            MotherOut, self.get_queryset().get(pk=mother.pk), status.HTTP_201_CREATED
        )
