"""The way in and her page: login, logout, and マイページ's first page — what she has under way
and the next thing to do."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from sango.portals.common.auth import login_view
from sango.portals.common.two_factor import security_urlpatterns
from sango.portals.my import selectors
from sango.portals.my.auth import is_mother_account, mother_required
from sango.portals.my.forms.account import MotherLoginForm


@require_GET
@mother_required
def home(request: HttpRequest) -> HttpResponse:
    """What she has under way and the one next thing to do."""
    return render(request, "my/home.html", {"o": selectors.overview(request.user)})


class LogoutView(auth_views.LogoutView):
    """Logging out also clears what the browser kept of マイページ on her device: the voucher
    pages the service worker holds for offline use, and the worker itself
    (``Clear-Site-Data``; browsers honour it over HTTPS and on localhost)."""

    next_page = "my:login"

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


urlpatterns = [
    path(
        "login/",
        login_view(
            is_member=is_mother_account,
            base="my/base.html",
            title=_("マイページにログイン"),
            lead=_("産後ケアの申請・利用券・予約をスマートフォンで確かめられます。"),
            home="my:home",
            form=MotherLoginForm,
            links=(
                ("my:signup", _("はじめての方: メールアドレスで登録する")),
                ("my:claim", _("こども課から登録コードを受け取った方")),
                ("my:password_reset", _("パスワードを忘れた方")),
                ("my:signup_resend", _("確認のメールをもう一度送る")),
            ),
        ),
        name="login",
    ),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("", home, name="home"),
    *security_urlpatterns(
        namespace="my",
        is_member=is_mother_account,
        base="my/base.html",
        home="my:home",
        refusal="このページは産婦の方のマイページです。",
    ),
]
