"""The base of every resource: objects only from the user's querysets, input through a
serializer, output through another."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Model, QuerySet
from django.utils import translation
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet


class InJapanese:
    """Mixin for every API view: messages in Japanese whatever ``Accept-Language`` says.

    The services and the rules core speak Japanese only; DRF's own messages (required field,
    not authenticated ...) follow the active language, so it is set before authentication,
    the first step that can fail.
    """

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        translation.activate("ja")
        super().initial(request, *args, **kwargs)


class ApiViewSet(InJapanese, GenericViewSet):
    """A resource whose objects come from ``scoped()`` — a selector over the querysets of
    ``sango.accounts.access`` — so that an id the user may not see is a 404.

    ``model`` types the path parameters in the schema, where no user exists.
    """

    model: type[Model]

    def scoped(self) -> QuerySet:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return self.scoped()

    def validated(
        self, serializer_class: type[serializers.Serializer], data: Mapping | None = None
    ) -> dict[str, Any]:
        """The input (the body unless ``data`` is given) checked by ``serializer_class``;
        a ``ValidationError`` (400) names every field at fault."""
        serializer = serializer_class(
            data=self.request.data if data is None else data,
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def render(
        self,
        serializer_class: type[serializers.Serializer],
        instance: Any,
        code: int = status.HTTP_200_OK,
    ) -> Response:
        return Response(
            serializer_class(instance, context=self.get_serializer_context()).data, status=code
        )

    def paged(self, queryset: QuerySet, serializer_class: type[serializers.Serializer]) -> Response:
        """One page of ``queryset``: ``{"count", "next", "previous", "results"}``."""
        page = self.paginate_queryset(queryset)
        data = serializer_class(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)
