"""Login throttling (django-axes) as every door uses it: who is counted, and what a locked-out
person is told.

Failures are counted per *username and client address together* (``AXES_LOCKOUT_PARAMETERS``):
five wrong passwords for one login from one address lock that pair out for the cool-off time,
so that someone guessing cannot lock a colleague out from elsewhere, while guessing one
account's password stays slow. An unknown username is counted exactly like a known one, and the
locked-out answer is the same for both: nothing tells whether an account exists.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

# Which layout the locked-out page wears, by the door it was reached through.
DOOR_BASES = {
    "/staff/": "staff/base.html",
    "/facility/": "facility/base.html",
    "/my/": "my/base.html",
}


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind ``SANGO_TRUSTED_PROXIES`` reverse proxies (production: one)
    it is the address the nearest proxy appended to X-Forwarded-For; what a client writes into
    that header itself is never trusted, or each guess could claim a new address."""
    hops = settings.SANGO_TRUSTED_PROXIES
    if hops:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")


def username_of(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The login as typed, trimmed and (for an e-mail address) lower-cased, so that
    ``Hanako@Example.jp`` and ``hanako@example.jp`` are one count, as they are one account."""
    typed = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD) or ""
    typed = str(typed).strip()
    return typed.lower() if "@" in typed else typed


def cool_off_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_message() -> str:
    return _(
        "ログインに続けて失敗したため、この端末からのこのアカウントへのログインを"
        "%(minutes)d分間止めています。時間をおいてからもう一度お試しください。"
    ) % {"minutes": cool_off_minutes()}


def forgotten_hint(path: str) -> str:
    """What to do about a forgotten password, for the door knocked on."""
    if path.startswith("/my/"):
        return _(
            "パスワードを忘れたときは、ログイン画面の「パスワードを忘れた方」から再設定できます。"
        )
    return _("パスワードを忘れたときは、システム管理者に連絡してください。")


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """429 with the lockout message: in the API's error format under /api/, otherwise a page
    in the layout of the door that was knocked on."""
    if request.path.startswith("/api/"):
        body = {"errors": [{"field": None, "code": "locked_out", "message": lockout_message()}]}
        response = JsonResponse(body, status=429, json_dumps_params={"ensure_ascii": False})
        response["Retry-After"] = str(cool_off_minutes() * 60)
        return response
    base = next(
        (base for prefix, base in DOOR_BASES.items() if request.path.startswith(prefix)),
        "portals/base.html",
    )
    context = {
        "door_base": base,
        "message": lockout_message(),
        "hint": forgotten_hint(request.path),
        "login_url": request.path,
    }
    response = render(request, "security/locked_out.html", context, status=429)
    response["Retry-After"] = str(cool_off_minutes() * 60)
    return response
