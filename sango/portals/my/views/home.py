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
from sango.portals.my import selectors
from sango.portals.my.auth import is_mother_account, mother_required


@require_GET
@mother_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "my/home.html", selectors.overview(request.user))


urlpatterns = [
    path(
        "login/",
        login_view(
            is_member=is_mother_account,
            base="my/base.html",
            title=_("マイページにログイン"),
            lead=_("産後ケアの申請・利用券・予約をスマートフォンで確かめられます。"),
            home="my:home",
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(next_page="my:login"), name="logout"),
    path("", home, name="home"),
]
