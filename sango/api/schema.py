"""OpenAPI pieces shared by every endpoint: the error body and the error responses.

``errors(400, 404, 409)`` gives the ``responses`` entries for an ``@extend_schema``; 401 and 403
are added to every endpoint that needs authentication, so that no operation forgets them.
"""

from __future__ import annotations

from drf_spectacular import authentication as drf_spectacular_authentication
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import serializers


class ErrorEntrySerializer(serializers.Serializer):
    """One problem: the input field at fault (or null), a stable code and a Japanese message."""

    field = serializers.CharField(
        allow_null=True, help_text="入力項目の名前（ドット区切り）。入力全体の誤りは null"
    )
    code = serializers.CharField(
        help_text="安定したコード（required, invalid_state, cap_reached …）"
    )
    message = serializers.CharField(help_text="利用者に見せる日本語の説明")


class ErrorResponseSerializer(serializers.Serializer):
    """The body of every error response."""

    errors = ErrorEntrySerializer(many=True)


DESCRIPTIONS = {
    400: "入力の誤り。項目ごとに1件",
    401: "認証されていません（トークンかセッションが必要）",
    403: "この役割では行えない操作です",
    404: "見つかりません（見る権限のない対象も同じく404）",
    409: "対象の状態がこの操作に合いません（code: invalid_state）",
    422: "制度上、利用できません。制度の理由ごとに1件（code: cap_reached など）",
    429: "ログインに続けて失敗したため、しばらく受け付けません（code: locked_out）",
}

EXAMPLES = {
    400: {
        "errors": [{"field": "birth_date", "code": "required", "message": "この項目は必須です。"}]
    },
    401: {
        "errors": [
            {"field": None, "code": "not_authenticated", "message": "認証情報が含まれていません。"}
        ]
    },
    403: {
        "errors": [
            {
                "field": None,
                "code": "permission_denied",
                "message": "市町村の決裁者だけが行えます。",
            }
        ]
    },
    404: {"errors": [{"field": None, "code": "not_found", "message": "見つかりませんでした。"}]},
    409: {
        "errors": [
            {
                "field": None,
                "code": "invalid_state",
                "message": "「承認」の申請は承認できません。",
            }
        ]
    },
    429: {
        "errors": [
            {
                "field": None,
                "code": "locked_out",
                "message": "ログインに続けて失敗したため、ログインを15分間止めています。",
            }
        ]
    },
    422: {
        "errors": [
            {
                "field": None,
                "code": "cap_reached",
                "message": "短期入所（ショートステイ）型の残りは0泊です（今回1泊）。",
            }
        ]
    },
}


def errors(*codes: int, public: bool = False) -> dict[int, OpenApiResponse]:
    """``responses`` entries for the given error statuses, plus 401 and 403 unless ``public``."""
    wanted = set(codes) if public else {*codes, 401, 403}
    return {
        code: OpenApiResponse(
            response=ErrorResponseSerializer,
            description=DESCRIPTIONS[code],
            examples=[OpenApiExample(f"error_{code}", value=EXAMPLES[code])],
        )
        for code in sorted(wanted)
    }


IDEMPOTENCY_KEY = OpenApiParameter(
    name="Idempotency-Key",
    type=str,
    location=OpenApiParameter.HEADER,
    required=True,
    description=(
        "再送キー（1〜80文字）。同じ施設が同じキーで送り直すと、最初に記録した利用を"
        "200で返し、二重に記録しません。"
    ),
)


class TokenScheme(OpenApiAuthenticationExtension):
    """``Authorization: Token <token>``, the token from ``POST /api/auth/token/`` (knox)."""

    target_class = "sango.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: object) -> dict:
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix="Token"
        )


class SessionScheme(drf_spectacular_authentication.SessionScheme):
    """Our session authentication (Japanese CSRF message) is DRF's as far as the schema goes."""

    target_class = "sango.api.authentication.SessionAuthentication"
