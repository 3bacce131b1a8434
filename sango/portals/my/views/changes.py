"""利用変更（中止）申請 in マイページ, with the decision shown once made, and her decision letters
(決定通知書) as PDF — the same letters the staff office prints (``sango.letters``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from sango.applications.changes import change_request_submit
from sango.core.errors import ServiceError
from sango.letters.render import decision_letter_pdf
from sango.letters.selectors import decision_for_letter
from sango.portals.common.once import submit_once
from sango.portals.my import selectors
from sango.portals.my.auth import mother_required
from sango.portals.my.forms.changes import ChangeForm


@require_GET
@mother_required
def changes(request: HttpRequest) -> HttpResponse:
    """Her approved applications, her change requests and her decision letters."""
    return render(request, "my/changes/list.html", {"page": selectors.changes_page(request.user)})


@require_http_methods(["GET", "POST"])
@mother_required
def change_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The change or cancellation of one approved application of hers."""
    application = selectors.approved_application_of(request.user, pk)
    form = ChangeForm(request.POST or None, **selectors.change_choices(application))
    if request.method == "POST" and form.is_valid():

        def submit() -> str:
            change = change_request_submit(
                application=application, actor=request.user, **form.change()
            )
            return reverse("my:change", args=[change.pk])

        try:
            return submit_once(request, form.cleaned_data["once"], submit)
        except ServiceError as error:
            field = {"grants": None, "facility": "facility", "valid_until": "valid_until"}
            form.add_error(field.get(error.field or ""), error.message)
    return render(request, "my/changes/new.html", {"form": form, "application": application})


@require_GET
@mother_required
def change(request: HttpRequest, pk: int) -> HttpResponse:
    """One change request: received (with its number and what happens next) or decided."""
    return render(
        request, "my/changes/change.html", {"change": selectors.change_request_of(request.user, pk)}
    )


@require_GET
@mother_required
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    """One of her decision letters as PDF (someone else's is a 404)."""
    decision = selectors.decision_of(request.user, pk)
    response = HttpResponse(
        decision_letter_pdf(decision_for_letter(decision.pk)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="letter-{decision.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"  # letters carry personal data
    return response


urlpatterns = [
    path("changes/", changes, name="changes"),
    path("changes/new/<int:pk>/", change_new, name="change_new"),
    path("changes/<int:pk>/", change, name="change"),
    path("letters/<int:pk>.pdf", letter, name="letter"),
]
