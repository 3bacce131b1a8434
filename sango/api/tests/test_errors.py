"""The one error format, whatever raised the error."""

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated, ValidationError

from sango.api.errors import exception_handler, flatten
from sango.api.tests.helpers import errors_of
from sango.core.errors import InvalidState, Refused, ServiceError


def handled(exc):
    response = exception_handler(exc, {})
    return response.status_code, response.data["errors"]


def test_validation_errors_are_flattened_with_dotted_fields() -> None:
    class Infant(serializers.Serializer):
        birth_date = serializers.DateField()

    class Mother(serializers.Serializer):
        name = serializers.CharField()
        infants = Infant(many=True)
        needs = serializers.ListField(child=serializers.IntegerField())

        def validate(self, attrs):
            raise serializers.ValidationError("全体の誤り")

    serializer = Mother(data={"infants": [{"birth_date": "2026-01-01"}, {}], "needs": ["x"]})
    assert not serializer.is_valid()
    entries = list(flatten(serializer.errors))
    assert {(e["field"], e["code"]) for e in entries} == {
        ("name", "required"),
        ("infants.1.birth_date", "required"),
        ("needs.0", "invalid"),
    }
    assert handled(ValidationError("全体の誤り"))[1] == [
        {"field": None, "code": "invalid", "message": "全体の誤り"}
    ]
    nested = {"non_field_errors": ["一致しません"], "grants": {"stay": ["多すぎます"]}}
    assert [e["field"] for e in flatten(nested)] == [None, "grants.stay"]


def test_refused_gives_one_entry_per_reason() -> None:
    reasons = [
        {"code": "cap_reached", "message": "残りは0泊です。"},
        {"code": "outside_window", "message": "期間外です。"},
    ]
    status, entries = handled(Refused("対象外です。", reasons))
    assert status == 422
    assert [(e["field"], e["code"]) for e in entries] == [
        (None, "cap_reached"),
        (None, "outside_window"),
    ]
    assert handled(Refused("対象外です。", []))[1][0]["code"] == "refused"


@pytest.mark.parametrize(
    "exc, status, code, field",
    [
        (InvalidState("承認済みです。"), 409, "invalid_state", None),
        (ServiceError("決裁者が行います。", code="forbidden"), 403, "forbidden", None),
        (ServiceError("ありません。", code="not_found"), 404, "not_found", None),
        (ServiceError("入力してください。", field="reason"), 400, "invalid", "reason"),
        (Http404(), 404, "not_found", None),
        (DjangoPermissionDenied(), 403, "permission_denied", None),
        (NotAuthenticated(), 401, "not_authenticated", None),
    ],
)
def test_each_kind_of_error(exc, status, code, field) -> None:
    got_status, [entry] = handled(exc)
    assert (got_status, entry["code"], entry["field"]) == (status, code, field)
    assert entry["message"]


def test_an_unknown_exception_is_left_to_django() -> None:
    assert exception_handler(RuntimeError("bug"), {}) is None


def test_the_format_over_http(api, clerk) -> None:
    client = api(clerk)
    assert [e["code"] for e in errors_of(client.delete("/api/mothers/1/"), 405)] == [
        "method_not_allowed"
    ]
    broken = client.post("/api/mothers/", "{not json", content_type="application/json")
    assert [e["code"] for e in errors_of(broken, 400)] == ["parse_error"]
    assert [e["code"] for e in errors_of(client.get("/api/nothing-here/"), 404)] == ["not_found"]
    assert [e["code"] for e in errors_of(client.get("/api/mothers/abc/"), 404)] == ["not_found"]
    assert errors_of(api(None).get("/api/no/such/thing/"), 404)


def test_messages_are_japanese_whatever_the_browser_asks(api, clerk) -> None:
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    assert errors_of(api(None).get("/api/mothers/", **english), 401)
    assert errors_of(api(clerk).post("/api/mothers/", {}, format="json", **english), 400)
    assert errors_of(api(None).get("/api/programmes/332089/", {"on": "x"}, **english), 400)
    assert errors_of(api(None).post("/api/auth/token/", {}, **english), 400)
    assert errors_of(api(None).get("/api/nowhere/", **english), 404)


def test_options_is_refused_in_the_error_format(api, clerk) -> None:
    # Found by fuzzing the schema: OPTIONS used to raise a server error.
    response = api(clerk).options("/api/uses/quote/")
    assert response.status_code == 405
    assert response.json()["errors"][0]["code"] == "method_not_allowed"


def test_dates_in_the_api_read_as_the_forms_read_them(api, clerk):
    """One parser for every door: 和暦 and full-width dates are accepted, nonsense refused."""
    from sango.api.fields import DayField

    field = DayField()
    assert field.run_validation("令和8年4月1日").isoformat() == "2026-04-01"
    assert field.run_validation("Ｒ８．４．１").isoformat() == "2026-04-01"
    for text in ("2026-02-30", "9999-12-31", "令和1年4月1日"):
        with pytest.raises(serializers.ValidationError):
            field.run_validation(text)


def test_a_deeply_nested_body_is_a_parse_error_for_anyone(api, caplog) -> None:
    """[ × 10,000 used to run Python's recursion out and log a traceback each time."""
    deep = "[" * 10_000 + "]" * 10_000
    response = api(None).post("/api/auth/token/", deep, content_type="application/json")
    assert [e["code"] for e in errors_of(response, 400)] == ["parse_error"]
    assert not [r for r in caplog.records if r.exc_info]


def test_a_server_error_answers_in_the_api_format(api, clerk, monkeypatch, caplog) -> None:
    """Under any settings a bug behind /api/ gives JSON 500, and the error is logged once."""
    from sango.api.views import mothers

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(mothers.MotherViewSet, "list", broken)
    client = api(clerk)
    client.raise_request_exception = False
    response = client.get("/api/mothers/")
    assert [e["code"] for e in errors_of(response, 500)] == ["server_error"]
    assert response["Content-Type"] == "application/json"
    assert [r.getMessage() for r in caplog.records if r.exc_info] == [
        "API server error on /api/mothers/"
    ]
