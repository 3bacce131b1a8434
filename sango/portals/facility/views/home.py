"""The way in and the facility's day: login and 今日 (this week's arrivals, departures,
sessions and visits, who stays tonight, and what waits for an answer)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from sango.bookings.selectors import requests_waiting
from sango.portals.common.auth import login_view
from sango.portals.common.two_factor import security_urlpatterns
from sango.portals.facility import selectors
from sango.portals.facility.auth import facility_required, is_facility_member


@require_GET
@facility_required
def home(request: HttpRequest) -> HttpResponse:
    today = selectors.today()
    context = {
        "today": today,
        **selectors.week(request.user, today),
        "returned": selectors.returned_lines(request.user)[:50],
        "booking_requests": requests_waiting(request.user, limit=50),
    }
    return render(request, "facility/home.html", context)


urlpatterns = [
    path(
        "login/",
        login_view(
            is_member=is_facility_member,
            base="facility/base.html",
            title=_("施設ログイン"),
            lead=_("市町村と契約している病院・診療所・助産院の職員用の画面です。"),
            home="facility:home",
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(next_page="facility:login"), name="logout"),
    path("", home, name="home"),
    *security_urlpatterns(
        namespace="facility",
        is_member=is_facility_member,
        base="facility/base.html",
        home="facility:home",
        refusal="このページは施設の職員用です。",
    ),
]
