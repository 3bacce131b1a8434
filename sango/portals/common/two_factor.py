"""ログインの設定: the second factor and "log out everywhere", the same pages in every door.

Each door mounts ``security_urlpatterns(...)`` under its own namespace, so the pages wear that
door's layout and are refused to other kinds of account like the rest of the door. After the
password, the door itself (``sango.portals.common.auth.door``) sends a user with a second factor
to ``two_factor_verify`` and, where one is required, a user without one to ``two_factor_setup``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from sango.security import sessions, two_factor


def second_factor_redirect(request: HttpRequest, namespace: str, step: str) -> HttpResponse:
    """To the door's ``two_factor_verify`` or ``two_factor_setup``, coming back here after."""
    target = reverse(f"{namespace}:two_factor_{step}")
    return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("確認コード"),
        help_text=gettext_lazy(
            "認証アプリに表示されている6けたの数字、または回復コードを入力してください。"
        ),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autocapitalize": "off"}
        ),
    )


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse(fallback)


def security_urlpatterns(
    *, namespace: str, is_member: Callable, base: str, home: str, refusal: str
) -> list:
    """The pages of ログインの設定 for one door (``namespace``: "staff", "facility", "my")."""
    login_url = f"{namespace}:login"
    context = {"door_base": base, "door_ns": namespace}

    def member(view: Callable) -> Callable:
        """Signed in and of this door; the second factor itself is not asked here."""

        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse(login_url))
            if not is_member(request.user):
                raise PermissionDenied(refusal)
            return view(request, *args, **kwargs)

        return wrapped

    def verified(view: Callable) -> Callable:
        """A member who has passed the second factor if they have one (as every door page)."""

        @wraps(view)
        @member
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            step = two_factor.pending_step(request)
            if step is not None:
                return second_factor_redirect(request, namespace, step)
            return view(request, *args, **kwargs)

        return wrapped

    @require_http_methods(["GET"])
    @verified
    def security(request: HttpRequest) -> HttpResponse:
        user = request.user
        return render(
            request,
            "portals/security.html",
            {
                **context,
                "enrolled": two_factor.has_second_factor(user),
                "required": two_factor.required_for(user),
                "codes_left": two_factor.recovery_codes_left(user),
            },
        )

    @require_http_methods(["GET", "POST"])
    @member
    def setup(request: HttpRequest) -> HttpResponse:
        """The QR code to scan and the first code to confirm it; then the recovery codes."""
        user = request.user
        if two_factor.has_second_factor(user) and not two_factor.is_verified(request):
            return redirect(f"{namespace}:two_factor_verify")
        device = two_factor.totp_device_pending(user)
        form = CodeForm(request.POST or None)
        form.fields["code"].help_text = _("認証アプリに表示されている6けたの数字です。")
        if request.method == "POST" and form.is_valid():
            codes = two_factor.enrol_confirm(request, device, form.cleaned_data["code"])
            if codes is not None:
                sessions.end_other_sessions(user, keep=request.session.session_key)
                return render(
                    request,
                    "portals/two_factor_codes.html",
                    {**context, "codes": codes, "next": _safe_next(request, home)},
                )
            form.add_error(
                "code", _("コードが違います。アプリに今表示されている数字を入れてください。")
            )
        return render(
            request,
            "portals/two_factor_setup.html",
            {
                **context,
                "form": form,
                "qr": two_factor.qr_svg(device),
                "secret": two_factor.secret_text(device),
                "required": two_factor.required_for(user),
                "next": request.POST.get("next") or request.GET.get("next", ""),
            },
        )

    @require_http_methods(["GET", "POST"])
    @member
    def verify(request: HttpRequest) -> HttpResponse:
        """The code after the password."""
        if not two_factor.has_second_factor(request.user):
            # Removed in another session since this one began: nothing to ask any more.
            request.session[two_factor.ENROLLED] = False
            return redirect(_safe_next(request, home))
        if two_factor.is_verified(request):
            return redirect(_safe_next(request, home))
        form = CodeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            if two_factor.verify(request, form.cleaned_data["code"]):
                return redirect(_safe_next(request, home))
            form.add_error(
                "code",
                _(
                    "コードが違うか、続けて間違えたためしばらく受け付けていません。"
                    "少し待ってから、アプリに今表示されている数字を入れてください。"
                ),
            )
        next_url = request.POST.get("next") or request.GET.get("next", "")
        return render(
            request, "portals/two_factor_verify.html", {**context, "form": form, "next": next_url}
        )

    @require_POST
    @verified
    def codes(request: HttpRequest) -> HttpResponse:
        """New recovery codes, shown once; the old ones stop working."""
        if not two_factor.has_second_factor(request.user):
            return redirect(f"{namespace}:security")
        new = two_factor.recovery_codes_renew(request.user)
        return render(
            request,
            "portals/two_factor_codes.html",
            {**context, "codes": new, "next": reverse(f"{namespace}:security")},
        )

    @require_POST
    @verified
    def remove(request: HttpRequest) -> HttpResponse:
        if two_factor.required_for(request.user):
            raise PermissionDenied(_("この役割では2段階認証をやめられません。"))
        two_factor.remove(request.user, request)
        messages.success(request, _("2段階認証をやめました。"))
        return redirect(f"{namespace}:security")

    @require_POST
    @verified
    def logout_everywhere(request: HttpRequest) -> HttpResponse:
        """End every session (this one too) and every API token of the user."""
        sessions.end_everywhere(request.user)
        logout(request)
        messages.success(request, _("すべての端末からログアウトしました。"))
        response = redirect(login_url)
        # What this browser kept (マイページ's offline voucher pages) goes too.
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response

    return [
        path("security/", security, name="security"),
        path("security/two-factor/setup/", setup, name="two_factor_setup"),
        path("security/two-factor/verify/", verify, name="two_factor_verify"),
        path("security/two-factor/codes/", codes, name="two_factor_codes"),
        path("security/two-factor/remove/", remove, name="two_factor_remove"),
        path("security/logout-everywhere/", logout_everywhere, name="logout_everywhere"),
    ]
