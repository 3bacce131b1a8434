"""Vouchers: the card as its holder and the municipality see it, a facility's check, and usage
cards (利用カード) issued by the municipality."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from sango.api import selectors
from sango.api.permissions import IsMunicipalStaff, MayVerifyVouchers, sees_mother_names
from sango.api.schema import errors
from sango.api.serializers.vouchers import UsageCardIn, VerifyIn, VerifyOut, VoucherOut
from sango.api.views.base import ApiViewSet
from sango.vouchers.models import Voucher
from sango.vouchers.services import usage_card_issue

TAG = ["vouchers"]


class VoucherViewSet(ApiViewSet):
    """利用券・利用カード: seen by the holder, her municipality and facilities shown it."""

    model = Voucher

    def scoped(self) -> QuerySet:
        return selectors.vouchers_for(self.request.user)

    @extend_schema(
        tags=TAG,
        summary="利用券・利用カード（上限ごとの残りとQRコードの内容を含む）",
        responses={200: VoucherOut, **errors(404)},
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        return self.render(VoucherOut, selectors.voucher_card(self.get_object()))

    @extend_schema(
        tags=TAG,
        summary="利用券の確認（施設・市町村の職員）",
        description=(
            "番号と産婦の生年月日、またはQRコードの内容で利用券を確かめます。返すのは利用券のID・"
            "種類・状態・有効期間・産婦の氏名・上限ごとの残りだけです。番号か生年月日が違うときは、"
            "どちらが違うかを言わずに404を返します。"
        ),
        request=VerifyIn,
        responses={200: VerifyOut, **errors(400, 404)},
    )
    @action(detail=False, methods=["post"], permission_classes=[MayVerifyVouchers])
    def verify(self, request: Request) -> Response:
        voucher = self.validated(VerifyIn)["voucher"]
        check = selectors.voucher_check(voucher, show_name=sees_mother_names(request.user))
        return self.render(VerifyOut, check)


class UsageCardViewSet(ApiViewSet):
    """利用カード: issued by municipal staff where the programme uses cards."""

    model = Voucher
    permission_classes = [IsMunicipalStaff]

    def scoped(self) -> QuerySet:
        return selectors.vouchers_for(self.request.user)

    @extend_schema(
        tags=TAG,
        summary="利用カードを発行する（市町村の職員。利用カード方式の期間のみ）",
        request=UsageCardIn,
        responses={201: VoucherOut, **errors(400)},
    )
    def create(self, request: Request) -> Response:
        data = self.validated(UsageCardIn)
        card = usage_card_issue(
            mother=data["mother"],
            actor=request.user,
            tier=data["tier"],
            tier_basis=data["tier_basis"],
            issued_on=data.get("issued_on"),
        )
        fresh = self.get_queryset().get(pk=card.pk)
        return self.render(VoucherOut, selectors.voucher_card(fresh), status.HTTP_201_CREATED)
