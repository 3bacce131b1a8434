"""How API requests authenticate: a knox token (``Authorization: Token …``: stored hashed,
expiring, revocable) or the browser's session — the latter only once the session has passed
its second factor, as every portal page requires, and with CSRF enforced. Failures speak
Japanese, like every other API error."""

from __future__ import annotations

import binascii
from functools import cache
from hmac import compare_digest
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import CONSTANTS, knox_settings
from rest_framework import authentication, exceptions

from sango.core.rows import columns, instances
from sango.facilities.models import Facility
from sango.security import two_factor


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's token authentication, in one statement: the tokens under the key sent, each with
    its user and the user's facility (which every facility call reads), written out
    (``sango.core.rows``) since every API request pays for it. Each token is then checked as
    knox checks it — expiry, digest compared in constant time, refresh when configured, an
    active user.

    knox also sweeps the user's other expired tokens on every request (a query each time);
    here only the token sent is checked, and the sweep is done when a new token is issued
    (``TokenView``)."""

    def authenticate_credentials(self, token: bytes) -> tuple[Any, AuthToken]:
        message = _("Invalid token.")
        text = token.decode("utf-8")
        user_model = get_user_model()
        with connection.cursor() as cursor:
            cursor.execute(_token_sql(type(connection.ops)), [text[: CONSTANTS.TOKEN_KEY_LENGTH]])
            rows = cursor.fetchall()
        for row in rows:
            auth_token, user, facility = instances(row, AuthToken, user_model, Facility)
            user.facility = facility if user.facility_id is not None else None
            auth_token.user = user
            if self._cleanup_token(auth_token):
                continue
            try:
                digest = hash_token(text)
            except (TypeError, binascii.Error):
                raise exceptions.AuthenticationFailed(message) from None
            if compare_digest(digest, auth_token.digest):
                if knox_settings.AUTO_REFRESH and auth_token.expiry:
                    self.renew_token(auth_token)
                return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(message)

    def _cleanup_token(self, auth_token: AuthToken) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False


@cache
def _token_sql(backend: type) -> str:
    """The tokens under a key, each with its user and the user's facility: composed once per
    backend."""
    qn = connection.ops.quote_name
    user_model = get_user_model()
    return (
        f"SELECT {columns(AuthToken, 't')}, {columns(user_model, 'u')},"
        f" {columns(Facility, 'f')}"
        f" FROM {qn(AuthToken._meta.db_table)} t"
        f" INNER JOIN {qn(user_model._meta.db_table)} u ON u.{qn('id')} = t.{qn('user_id')}"
        f" LEFT OUTER JOIN {qn(Facility._meta.db_table)} f"
        f" ON f.{qn('id')} = u.{qn('facility_id')}"
        f" WHERE t.{qn('token_key')} = %s"
    )


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
