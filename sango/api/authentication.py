"""How API requests authenticate: a knox token (``Authorization: Token …``: stored hashed,
expiring, revocable) or the browser's session — the latter only once the session has passed
its second factor, as every portal page requires, and with CSRF enforced. Failures speak
Japanese, like every other API error."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.models import AuthToken
from rest_framework import authentication, exceptions

from sango.security import two_factor


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's token authentication. knox also sweeps the user's other expired tokens on every
    request (a query each time); here only the token sent is checked, and the sweep is done
    when a new token is issued (``TokenView``)."""

    def _cleanup_token(self, auth_token: AuthToken) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication (CSRF enforced for signed-in sessions); DRF words its CSRF
    failure in English only, so it is replaced by a message in the one error format. A session
    still waiting for its second factor authenticates nothing."""

    def authenticate(self, request: Any) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is not None and two_factor.pending_step(request._request) is not None:
            return None
        return result

    def enforce_csrf(self, request: Any) -> None:
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied:
            raise exceptions.PermissionDenied(
                _("CSRFの確認に失敗しました。画面を読み込み直してから、もう一度送信してください。"),
                code="csrf_failed",
            ) from None
