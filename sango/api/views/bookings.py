"""Provisional bookings (仮予約): facility staff for their facility, municipal staff for their
municipality; a mother sees and may cancel her own."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from sango.api import selectors
from sango.api.permissions import IsMunicipalOrFacilityStaff
from sango.api.schema import errors
from sango.api.serializers.bookings import BookingIn, BookingOut
from sango.api.views.base import ApiViewSet
from sango.bookings.models import Booking
from sango.bookings.services import booking_cancel, booking_create

TAG = ["bookings"]


@extend_schema_view(
    list=extend_schema(
        tags=TAG, summary="予約の一覧", responses={200: BookingOut(many=True), **errors()}
    ),
    retrieve=extend_schema(tags=TAG, summary="予約", responses={200: BookingOut, **errors(404)}),
    create=extend_schema(
        tags=TAG,
        summary="仮予約を登録する（施設・市町村の職員）",
        request=BookingIn,
        responses={201: BookingOut, **errors(400, 404)},
    ),
)
class BookingViewSet(ApiViewSet):
    """仮予約: facility staff for their facility, municipal staff for their municipality."""

    model = Booking

    def get_permissions(self) -> list:
        if self.action == "create":
            return [IsMunicipalOrFacilityStaff()]
        return super().get_permissions()

    def scoped(self) -> QuerySet:
        return selectors.bookings_for(self.request.user)

    def list(self, request: Request) -> Response:
        return self.paged(self.get_queryset(), BookingOut)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self.render(BookingOut, self.get_object())

    def create(self, request: Request) -> Response:
        data = self.validated(BookingIn)
        booking = booking_create(
            facility=data["facility"],
            mother=data["mother"],
            actor=request.user,
            service=data["service"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            application=data.get("application"),
            note=data["note"],
        )
        return self.render(
            BookingOut, self.get_queryset().get(pk=booking.pk), status.HTTP_201_CREATED
        )

    @extend_schema(
        tags=TAG,
        summary="予約を取り消す",
        request=None,
        responses={200: BookingOut, **errors(404, 409)},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        booking = booking_cancel(booking=self.get_object(), actor=request.user)
        return self.render(BookingOut, self.get_queryset().get(pk=booking.pk))
