"""``FreshFields``: a hot input serializer makes its fields per request without DRF's deep copy,
and they are still its own — as new as DRF's copies, validating the same."""

from __future__ import annotations

import copy

from django.db.models import QuerySet
from rest_framework import serializers

from sango.api.serializers.common import FreshFields
from sango.api.serializers.usage import UseIn


def test_each_serializer_has_fields_of_its_own() -> None:
    first, second = UseIn(data={}), UseIn(data={})
    assert list(first.fields) == list(UseIn._declared_fields)
    for name, field in first.fields.items():
        other = second.fields[name]
        assert field is not other and field is not UseIn._declared_fields[name]
        assert field.parent is first and other.parent is second
        assert field.field_name == name


def test_each_field_has_containers_of_its_own() -> None:
    first, second = UseIn(data={}).fields, UseIn(data={}).fields
    for name, field in first.items():
        for key, value in vars(field).items():
            if isinstance(value, dict | list | set):
                assert value is not vars(second[name])[key], (name, key)
    first["quantity"].error_messages["min_value"] = "changed"
    assert second["quantity"].error_messages["min_value"] != "changed"


class DeepCopied(UseIn):
    """``UseIn`` with DRF's own deep copies of its fields."""

    def get_fields(self) -> dict:
        return serializers.Serializer.get_fields(self)


WRONG = [
    {},
    {"service": "Stay!", "day": "2026-13-01", "quantity": 0, "infants": -1, "fee": "abc"},
    {"service": "stay", "day": "２０２６-１２-０１", "quantity": 10**9, "extras": -5},
    {"service": "day", "start": "2026-12-01T10:00:00+09:00", "number": "x" * 31},
    {"service": "day", "start": "not a time", "end": "2026-12-01", "own_patient": "maybe"},
    {"service": "stay", "day": "2026-12-01", "qr": "q" * 501, "mother_present": "perhaps"},
]


def test_the_copies_refuse_what_drfs_copies_refuse_with_the_same_errors() -> None:
    for data in WRONG:
        fresh, deep = UseIn(data=data), DeepCopied(data=data)
        assert not fresh.is_valid() and not deep.is_valid(), data
        assert fresh.errors == deep.errors, data
        codes = {k: [e.code for e in v] for k, v in fresh.errors.items()}
        assert codes == {k: [e.code for e in v] for k, v in deep.errors.items()}, data


def test_the_fields_are_those_drf_would_copy() -> None:
    fresh = UseIn(data={}).fields
    copied = copy.deepcopy(UseIn._declared_fields)
    for name, field in fresh.items():
        assert type(field) is type(copied[name])
        assert _comparable(field._kwargs) == _comparable(copied[name]._kwargs), name


def _comparable(kwargs: dict) -> dict:
    """A field's arguments, a queryset as its statement (querysets compare by identity)."""
    return {k: str(v.query) if isinstance(v, QuerySet) else v for k, v in kwargs.items()}


class Listed(FreshFields):
    tags = serializers.ListField(child=serializers.CharField(), default=list)
    kinds = serializers.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], required=False)


def test_a_field_with_an_argument_that_can_change_is_still_copied() -> None:
    one, two = Listed(data={"tags": ["x"]}), Listed(data={"tags": ["y"]})
    assert one.fields["tags"].child is not two.fields["tags"].child
    assert one.is_valid() and two.is_valid()
    assert one.validated_data["tags"] == ["x"] and two.validated_data["tags"] == ["y"]
    # The choices are a list: each serializer gets a copy, never the declared field's own.
    assert (
        one.fields["kinds"]._kwargs["choices"]
        is not Listed._declared_fields["kinds"]._kwargs["choices"]
    )
