"""The way in and the desk: login, the inbox of waiting work, search, and the postal-code
look-up that the paper forms use."""

from __future__ import annotations

from django import forms
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from sango.portals.common.auth import login_view
from sango.portals.common.postal import address_for
from sango.portals.common.two_factor import security_urlpatterns
from sango.portals.staff import selectors
from sango.portals.staff.auth import is_staff_member, staff_required


class InboxFilter(forms.Form):
    office = forms.TypedChoiceField(label=_("窓口"), required=False, coerce=int, empty_value=None)
    worker = forms.TypedChoiceField(label=_("担当者"), required=False, coerce=int, empty_value=None)

    def __init__(self, data, *, user) -> None:
        super().__init__(data)
        everyone = [("", _("すべて"))]
        self.fields["office"].choices = everyone + [
            (o.pk, o.name) for o in selectors.offices_of(user)
        ]
        self.fields["worker"].choices = everyone + [
            (u.pk, u.get_full_name() or u.username) for u in selectors.workers_of(user)
        ]


@require_GET
@staff_required
def inbox(request: HttpRequest) -> HttpResponse:
    """ホーム: the work waiting, by step, each row with its days since submission."""
    form = InboxFilter(request.GET, user=request.user)
    chosen = form.cleaned_data if form.is_valid() else {}
    steps = selectors.inbox(request.user, office=chosen.get("office"), worker=chosen.get("worker"))
    return render(request, "staff/inbox.html", {"form": form, "steps": steps})


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("氏名・フリガナ・生年月日・電話番号・申請番号・利用券番号"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


@require_POST
@staff_required
def search(request: HttpRequest) -> HttpResponse:
    """A search is sent by POST: names and birth dates never appear in an address or a log."""
    form = SearchForm(request.POST)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = selectors.search(request.user, query)
    cards = selectors.cards_search(request.user, query) if query else None
    context = {"form": form, "results": results, "cards": cards, "query": query}
    return render(request, "staff/search.html", context)


@require_GET
@staff_required
def search_page(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/search.html", {"form": SearchForm(), "results": None})


@require_POST
@staff_required
def postal(request: HttpRequest) -> JsonResponse:
    """``{"address": "岡山県総社市中央"}`` for a postal code, 404 for one that does not exist."""
    address = address_for(request.POST.get("code", "").strip())
    if address is None:
        return JsonResponse({"address": None}, status=404)
    return JsonResponse({"address": address})


urlpatterns = [
    path(
        "login/",
        login_view(
            is_member=is_staff_member,
            base="staff/base.html",
            title=_("職員ログイン"),
            lead=_("市町村の産後ケア事業の担当者（事務・保健師・決裁者）用の画面です。"),
            home="staff:inbox",
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(next_page="staff:login"), name="logout"),
    path("", inbox, name="inbox"),
    path("search/", search_page, name="search"),
    path("search/results/", search, name="search_results"),
    path("postal/", postal, name="postal"),
    *security_urlpatterns(
        namespace="staff",
        is_member=is_staff_member,
        base="staff/base.html",
        home="staff:inbox",
        refusal="このページは市町村の職員用です。",
    ),
]
