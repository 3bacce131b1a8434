"""お母さんと赤ちゃんの情報: the record every other part of マイページ starts from, made by
her (``mother_register_self``) or corrected while nothing is handed in
(``mother_update_self``); and the postal-code look-up that fills her address."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from sango.core.errors import ServiceError
from sango.mothers.services import mother_can_update_self, mother_register_self, mother_update_self
from sango.portals.common.once import submit_once
from sango.portals.common.postal import address_for
from sango.portals.my.apply_pages import municipality_choices
from sango.portals.my.auth import mother_required
from sango.portals.my.forms.apply import DetailsForm
from sango.portals.my.selectors import mother_of


def safe_next(request: HttpRequest) -> str:
    """Where to go after saving: a path inside マイページ only (never another site)."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if (
        wanted.startswith("/my/")
        and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()})
        and "\\" not in wanted
    ):
        return wanted
    return reverse("my:apply")


@require_http_methods(["GET", "POST"])
@mother_required
def details(request: HttpRequest) -> HttpResponse:
    mother = mother_of(request.user)
    choices = municipality_choices()
    next_url = safe_next(request)
    locked = mother is not None and not mother_can_update_self(mother)
    form = DetailsForm(initial=DetailsForm.initial_for(mother), choices=choices)
    if request.method == "POST" and "lookup" in request.POST and not locked:
        # without JavaScript: 住所を探す fills the address and shows the form again unsaved
        typed = request.POST.dict()
        found = address_for(typed.get("postal_code", ""))
        if found and not typed.get("address", "").strip():
            typed["address"] = found
        typed.pop("once", None)
        form = DetailsForm(initial=typed, choices=choices)
        form.lookup_failed = found is None
    elif request.method == "POST" and not locked:
        form = DetailsForm(request.POST, choices=choices)
        if form.is_valid():
            register = mother_update_self if mother else mother_register_self

            def save() -> str:
                register(user=request.user, **form.service_arguments())
                return next_url

            try:
                return submit_once(request, form.cleaned_data["once"], save)
            except ServiceError as error:
                form.add_service_error(error)
    context = {"form": form, "mother": mother, "locked": locked, "next": next_url}
    return render(request, "my/apply/details.html", context)


@require_POST
@mother_required
def postal(request: HttpRequest) -> JsonResponse:
    """``{"address": "岡山県総社市中央"}`` for a postal code, 404 for one that does not exist
    (POST, so that the code never appears in an address or an access log)."""
    address = address_for(request.POST.get("code", "").strip())
    if address is None:
        return JsonResponse({"address": None}, status=404)
    return JsonResponse({"address": address})


urlpatterns = [
    path("details/", details, name="details"),
    path("postal/", postal, name="postal"),
]
