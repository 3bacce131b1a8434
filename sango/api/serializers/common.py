"""Fields and small shapes every resource uses: ids among what the user may see, display labels,
brief references to a mother, facility or voucher, and the ways to present a voucher."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from functools import cache, partial
from types import BuiltinFunctionType, FunctionType
from typing import Any

from django.db.models import QuerySet
from django.utils import translation
from django.utils.functional import Promise
from rest_framework import serializers

from sango.api import selectors
from sango.api.fields import DayField
from sango.programs.rules_for import tier_name
from sango.vouchers.models import Voucher

# What a field may share with the copies made of it, request after request: values nothing
# changes in place, and querysets, which a related field clones on every use (``.all()``).
_SHAREABLE = (str, int, float, bool, bytes, type(None), type, Promise, QuerySet, re.Pattern)
_SHAREABLE_CALLABLES = (FunctionType, BuiltinFunctionType)


class FreshFields(serializers.Serializer):
    """A serializer on a hot path, whose fields are made per request as copies of each declared
    field with containers of their own, where DRF deep-copies them by calling the field's class
    again (with the MRO walked for its messages: a sixth of recording a use). The fields are as
    new as DRF's copies — a request binds its own, and its own dicts, lists and sets (messages,
    choices, validators) are its own — and a field with an argument that could change in
    place (a list, a dict, another field) is still deep-copied. The validators themselves are
    shared, as in DRF's copies."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {name: make() for name, make in _field_makers(type(self)).items()}


@cache
def _field_makers(serializer: type[serializers.Serializer]) -> dict[str, Callable[[], Any]]:
    makers: dict[str, Callable[[], Any]] = {}
    for name, field in serializer._declared_fields.items():
        shared = [*field._args, *(v for k, v in field._kwargs.items() if k != "validators")]
        if all(_shareable(value) for value in shared):
            held = tuple(k for k, v in field.__dict__.items() if isinstance(v, _CONTAINERS))
            makers[name] = partial(_copy, field, held)
        else:
            makers[name] = partial(copy.deepcopy, field)
    return makers


def _copy(field: serializers.Field, held: tuple[str, ...]) -> serializers.Field:
    """``field`` with its state, each dict, list or set in it (under the names ``held``) a
    container of its own. Made with ``object.__new__``, as DRF's ``Field.__new__`` only records
    the arguments, which the state holds (``_args``, ``_kwargs``). A declared field is never
    bound (its copies are), so what holds a container in its state is known once."""
    made = object.__new__(type(field))
    state = made.__dict__ = field.__dict__.copy()
    for key in held:
        state[key] = state[key].copy()
    return made


_CONTAINERS = (dict, list, set)


def _shareable(value: Any) -> bool:
    if isinstance(value, tuple | frozenset):
        return all(_shareable(item) for item in value)
    return isinstance(value, _SHAREABLE + _SHAREABLE_CALLABLES)


class VisibleObject(serializers.PrimaryKeyRelatedField):
    """An id among the objects the requesting user may see (``visible(user)``); any other id
    reads exactly like one that does not exist, so nothing is learnt by guessing.

    ``queryset`` is still passed, for the schema (the id's type); look-ups use ``visible``.
    """

    def __init__(self, visible: Callable[[Any], QuerySet], **kwargs: Any) -> None:
        self.visible = visible
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        return self.visible(self.context["request"].user)


class ChoiceLabelField(serializers.CharField):
    """The label of a choice value (``記録済み`` for ``recorded``), as ``get_<field>_display``
    gives it, mapped through a dict built once per serializer and language: DRF inspects the
    signature of a method source on every row, which costs more than the rest of the row.

    ``choices`` are the model field's (``Use.Status.choices``); without them, they are read
    from the model field named by ``source`` on first use. A value outside them is shown as is.
    """

    def __init__(self, choices: Any = None, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)
        self.choices = dict(choices) if choices is not None else None
        self.labels: dict[str, dict[Any, str]] = {}

    def get_attribute(self, instance: Any) -> Any:
        if self.choices is None:
            self.choices = dict(instance._meta.get_field(self.source).flatchoices)
        return super().get_attribute(instance)

    def to_representation(self, value: Any) -> str:
        language = translation.get_language() or ""
        labels = self.labels.get(language)
        if labels is None:
            labels = self.labels[language] = {k: str(v) for k, v in self.choices.items()}
        return labels.get(value, str(value))


def display(field: str) -> ChoiceLabelField:
    """The Japanese label of a choice field: ``status_display = display("status")``."""
    return ChoiceLabelField(source=field)


class TierDisplayField(serializers.CharField):
    """The tier's name as the object's programme writes it (総社市 taxable: 上記以外の方);
    each (municipality, tier) is looked up once per serializer."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", read_only=True, **kwargs)
        self.names: dict[tuple[str, str], str] = {}

    def to_representation(self, instance: Any) -> str:
        if not instance.tier:
            return ""
        key = (instance.municipality.code, instance.tier)
        name = self.names.get(key)
        if name is None:
            name = self.names[key] = tier_name(*key)
        return name


class MotherBriefOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class FacilityBriefOut(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()


class VoucherBriefOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.CharField()
    status_display = display("status")


class CapRemainingOut(serializers.Serializer):
    """One cap of the programme: quantities in its unit (泊, 日, 回 …)."""

    name = serializers.CharField()
    unit = serializers.CharField()
    limit = serializers.IntegerField(help_text="上限（承認量があればその量）")
    used = serializers.IntegerField()
    remaining = serializers.IntegerField()


class ReasonOut(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class PresentedVoucherIn(FreshFields):
    """A voucher given one of three ways: ``voucher`` (an id the user may already see),
    ``number`` with ``mother_birth_date`` (as printed on it), or ``qr`` (its signed payload).

    ``validate`` puts the voucher found in ``voucher``.
    """

    voucher = VisibleObject(
        selectors.vouchers_for,
        queryset=Voucher.objects.all(),
        required=False,
        help_text="利用券のID（すでに見られる利用券のみ）",
    )
    number = serializers.CharField(required=False, max_length=30, help_text="利用券の番号")
    mother_birth_date = DayField(required=False, help_text="産婦の生年月日")
    qr = serializers.CharField(required=False, max_length=500, help_text="QRコードの内容")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        given = [key for key in ("voucher", "number", "qr") if attrs.get(key)]
        if len(given) != 1:
            raise serializers.ValidationError(
                {"voucher": "利用券のID、番号と生年月日、QRコードのどれか1つを入力してください。"},
                code="voucher_required",
            )
        if attrs.get("number") and not attrs.get("mother_birth_date"):
            raise serializers.ValidationError(
                {"mother_birth_date": "番号で確認するときは産婦の生年月日も入力してください。"},
                code="required",
            )
        if not attrs.get("voucher"):
            attrs["voucher"] = selectors.voucher_presented(
                self.context["request"].user,
                number=attrs.get("number", ""),
                mother_birth_date=attrs.get("mother_birth_date"),
                qr=attrs.get("qr", ""),
            )
        for key in ("number", "mother_birth_date", "qr"):
            attrs.pop(key, None)
        return attrs
