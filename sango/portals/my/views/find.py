"""施設をさがす, public (no login): she chooses her municipality (no question when one programme is
loaded), gives her baby's birth or due date and, if she likes, the service and her household
tier, and sees the facilities she can use, until when, their availability and her copay.

The birth date and the tier are personal: they travel by POST and stay in her session. The
results' address carries only what anyone may see (service, area, page number).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from sango.portals.my.finder import Criteria, find
from sango.portals.my.forms.find import FindForm
from sango.programs.selectors import get_program, programmes
from sango.rules.program import Program


def _program_or_404(code: str) -> Program:
    program = get_program(code)
    if program is None:
        raise Http404("No programme is loaded for this municipality code.")
    return program


@require_GET
def choose_municipality(request: HttpRequest) -> HttpResponse:
    """The municipalities whose programmes are loaded; with one, straight to its question."""
    loaded = programmes()
    if len(loaded) == 1:
        return redirect("my:find_form", code=loaded[0].code)
    return render(request, "my/find/municipality.html", {"programs": loaded})


@require_http_methods(["GET", "POST"])
def find_form(request: HttpRequest, code: str) -> HttpResponse:
    """Her baby's date and what she wants; kept in the session, then the results."""
    program = _program_or_404(code)
    today = timezone.localdate()
    if request.method == "POST":
        form = FindForm(request.POST, program=program, today=today)
        if form.is_valid():
            form.criteria().store(request.session)
            url = reverse("my:find_results", args=[code])
            service = form.cleaned_data["service"]
            return redirect(f"{url}?{urlencode({'service': service})}" if service else url)
    else:
        criteria = Criteria.stored(request.session, code)
        initial = FindForm.initial_from(criteria, request.GET.get("service", ""))
        form = FindForm(initial=initial, program=program, today=today)
    context = {"program": program, "form": form, "single": len(programmes()) == 1}
    return render(request, "my/find/form.html", context, status=400 if form.errors else 200)


@require_GET
def find_results(request: HttpRequest, code: str) -> HttpResponse:
    """The facilities for her criteria, filtered by ``?service=`` and ``?area=``, ``?page=``."""
    program = _program_or_404(code)
    criteria = Criteria.stored(request.session, code)
    if criteria is None:
        return redirect("my:find_form", code=code)
    results = find(
        program,
        criteria,
        service=request.GET.get("service", ""),
        area=request.GET.get("area", ""),
        page_number=request.GET.get("page"),
        today=timezone.localdate(),
        lang="en" if (get_language() or "ja").startswith("en") else "ja",
    )
    return render(request, "my/find/results.html", {"results": results, "program": program})


urlpatterns = [
    path("find/", choose_municipality, name="find"),
    path("find/<str:code>/", find_form, name="find_form"),
    path("find/<str:code>/results/", find_results, name="find_results"),
]
