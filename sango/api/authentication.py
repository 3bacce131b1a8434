"""Session authentication whose CSRF failure speaks Japanese, like every other API error."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication (CSRF enforced for signed-in sessions); DRF words its CSRF
    failure in English only, so it is replaced by a message in the one error format."""

    def enforce_csrf(self, request: Any) -> None:
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied:
            raise exceptions.PermissionDenied(
                _("CSRFの確認に失敗しました。画面を読み込み直してから、もう一度送信してください。"),
                code="csrf_failed",
            ) from None
