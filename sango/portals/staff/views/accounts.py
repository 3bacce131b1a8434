"""マイページの登録コード: a clerk or approver issues a one-time code for the mother of a case
who has no portal account yet, and prints it for her (a one-page handout). The code is shown
once, right after it is issued (kept in the staff member's session until the next one)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from sango.accounts.claims import VALID_FOR, claim_code_issue
from sango.core.errors import ServiceError
from sango.portals.staff.auth import staff_required
from sango.portals.staff.case import case_page

SESSION_KEY = "staff_claim_code"


@require_http_methods(["GET", "POST"])
@staff_required
def claim_code(request: HttpRequest, pk: int) -> HttpResponse:
    """POST issues a new code and shows the handout; GET shows the last one issued here."""
    case = case_page(request.user, pk)
    if request.method == "POST":
        try:
            claim, code = claim_code_issue(mother=case.mother, actor=request.user)
        except ServiceError as error:
            messages.error(request, error.message)
            return redirect("staff:case", pk)
        request.session[SESSION_KEY] = {
            "application": pk,
            "code": code,
            "expires_on": timezone.localdate(claim.expires_at).isoformat(),
        }
        return redirect("staff:claim_code", pk)
    issued = request.session.get(SESSION_KEY)
    if issued and issued.get("application") == pk:
        issued = {**issued, "expires_on": date.fromisoformat(issued["expires_on"])}
    else:
        issued = None
    return render(
        request,
        "staff/claim_code.html",
        {
            "case": case,
            "issued": issued,
            "valid_days": VALID_FOR.days,
            "claim_url": settings.SANGO_SITE_URL + reverse("my:claim"),
        },
    )


urlpatterns = [
    path("cases/<int:pk>/account-code/", claim_code, name="claim_code"),
]
