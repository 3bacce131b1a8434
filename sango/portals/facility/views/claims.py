"""委託料請求 and 契約内容: the facility's monthly claims to each municipality it serves — the
history, generating a month's claim, each line with its review, submitting after a
confirmation, regenerating a returned claim, the 請求書 PDF and the CSV — and the contract
terms as the programme documents give them.

Every form that changes something carries the one-time token (``submit_once``); another
facility's claim is not found (``sango.accounts.access``).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sango.billing.models import FacilityClaim
from sango.billing.selectors import claim_lines_for, line_totals
from sango.billing.services import claim_generate as generate
from sango.billing.services import claim_submit as submit
from sango.core.errors import ServiceError
from sango.core.paging import head_and_total
from sango.core.wareki import wareki
from sango.letters.claims import claim_statement_pdf
from sango.portals.common.once import submit_once
from sango.portals.facility import claim_selectors as selectors
from sango.portals.facility.auth import facility_required
from sango.portals.facility.forms import claims as forms
from sango.portals.facility.selectors import today
from sango.reports import files
from sango.reports.claim_lines import claim_lines

PAGE_ROWS = 100  # claims per page of the history; a facility sends about one a month per city
GET_POST = require_http_methods(["GET", "POST"])


def _claim_url(claim: FacilityClaim) -> str:
    return reverse("facility:claim", args=[claim.pk])


def _month(claim: FacilityClaim) -> str:
    return wareki(claim.month, month_only=True)


# --- the history and generating a month's claim ----------------------------------------------


def _claims_page(
    request: HttpRequest, municipalities: list, generate_form: forms.ClaimGenerateForm
) -> HttpResponse:
    filters = forms.ClaimFilter(request.GET, municipalities=municipalities)
    rows, total = head_and_total(selectors.claims_list(request.user, **filters.chosen()), PAGE_ROWS)
    context = {
        "filters": filters,
        "rows": rows,
        "total": total,
        "generate": generate_form,
        "municipalities": municipalities,
    }
    return render(request, "facility/claims/list.html", context)


@require_GET
@facility_required
def claims(request: HttpRequest) -> HttpResponse:
    """The claims with their states, per municipality and month, and the form to generate."""
    municipalities = selectors.contracted_municipalities(request.user)
    form = forms.ClaimGenerateForm(municipalities=municipalities, today=today())
    return _claims_page(request, municipalities, form)


@GET_POST
@facility_required
def claim_generate(request: HttpRequest) -> HttpResponse:
    """請求を作成する: the month's claim to one municipality, from the recorded uses."""
    if request.method == "GET":
        return redirect("facility:claims")
    municipalities = selectors.contracted_municipalities(request.user)
    form = forms.ClaimGenerateForm(request.POST, municipalities=municipalities, today=today())
    if form.is_valid():

        def run() -> str:
            claim = generate(facility=request.user.facility, actor=request.user, **form.chosen())
            messages.success(
                request,
                _("%(city)s宛ての%(month)s分の請求を作成しました（%(count)s件、%(total)s円）。")
                % {
                    "city": claim.municipality.name,
                    "month": _month(claim),
                    "count": claim.lines.count(),
                    "total": f"{claim.total:,}",
                },
            )
            return _claim_url(claim)

        try:
            return submit_once(request, form.cleaned_data["once"], run)
        except ServiceError as error:
            form.add_service_error(error)
    return _claims_page(request, municipalities, form)


# --- one claim ---------------------------------------------------------------------------------


@require_GET
@facility_required
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    """The claim's header and lines, what to do about returned lines, and its actions."""
    found = selectors.claim_for(request.user, pk)
    lines = claim_lines_for(found)
    context = {
        "claim": found,
        "lines": lines,
        "totals": line_totals(lines),
        "returned": [line for line in lines if line.rejection_reason is not None],
        "action": forms.ClaimActionForm(),
    }
    return render(request, "facility/claims/claim.html", context)


@GET_POST
@facility_required
def claim_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """「この内容で○○市に請求します」, then 提出 (once, however often it is posted)."""
    found = selectors.claim_for(request.user, pk)
    form = forms.ClaimActionForm(request.POST if request.method == "POST" else None)
    if form.is_valid():

        def run() -> str:
            submit(claim=found, actor=request.user)
            messages.success(
                request,
                _("%(city)sに%(month)s分の請求を提出しました。市の審査を待ちます。")
                % {"city": found.municipality.name, "month": _month(found)},
            )
            return _claim_url(found)

        try:
            return submit_once(request, form.cleaned_data["once"], run)
        except ServiceError as error:
            form.add_service_error(error)
    lines = claim_lines_for(found)
    context = {"claim": found, "lines": lines, "form": form}
    return render(request, "facility/claims/submit.html", context)


@require_POST
@facility_required
def claim_regenerate(request: HttpRequest, pk: int) -> HttpResponse:
    """作り直す: a draft or returned claim rebuilt from the uses as they are now (voided uses
    leave it, corrected and later uses join it, every line is unreviewed again)."""
    found = selectors.claim_for(request.user, pk)
    form = forms.ClaimActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("もう一度「作り直す」を押してください。"))
        return redirect(_claim_url(found))

    def run() -> str:
        claim = generate(
            facility=found.facility,
            municipality=found.municipality,
            month=found.month,
            actor=request.user,
        )
        messages.success(
            request,
            _("請求を作り直しました（%(count)s件、%(total)s円）。内容を確かめて提出してください。")
            % {"count": claim.lines.count(), "total": f"{claim.total:,}"},
        )
        return _claim_url(claim)

    try:
        return submit_once(request, form.cleaned_data["once"], run)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(_claim_url(found))


@require_GET
@facility_required
def claim_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """請求書 (A4 PDF)."""
    found = selectors.claim_for(request.user, pk)
    response = HttpResponse(claim_statement_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="claim_{found.municipality.code}_{found.month:%Y-%m}.pdf"'
    )
    response["Cache-Control"] = "no-store"  # the lines carry mothers' names
    return response


@require_GET
@facility_required
def claim_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The lines as CSV: ``?encoding=utf8`` (UTF-8 with a BOM) or ``cp932`` (Shift_JIS)."""
    found = selectors.claim_for(request.user, pk)
    fmt = forms.CsvForm(request.GET).fmt()
    if fmt is None:
        raise Http404(_("その文字コードでは出力できません。"))
    table = claim_lines(found)
    response = HttpResponse(files.render(table, fmt), content_type=files.content_type(fmt))
    ending = files.FORMATS[fmt][1]
    response["Content-Disposition"] = files.content_disposition(
        f"{table.name}{ending}", f"{table.title}{ending}"
    )
    response["Cache-Control"] = "no-store"
    return response


# --- 契約内容 ----------------------------------------------------------------------------------


@require_GET
@facility_required
def contracts(request: HttpRequest) -> HttpResponse:
    """契約内容 per municipality, as the programme documents in force today give them."""
    day = today()
    context = {"day": day, "terms": selectors.contract_terms(request.user, day)}
    return render(request, "facility/claims/contracts.html", context)


urlpatterns = [
    path("claims/", claims, name="claims"),
    path("claims/generate/", claim_generate, name="claim_generate"),
    path("claims/<int:pk>/", claim, name="claim"),
    path("claims/<int:pk>/submit/", claim_submit, name="claim_submit"),
    path("claims/<int:pk>/regenerate/", claim_regenerate, name="claim_regenerate"),
    path("claims/<int:pk>/statement.pdf", claim_pdf, name="claim_pdf"),
    path("claims/<int:pk>/lines.csv", claim_csv, name="claim_csv"),
    path("contracts/", contracts, name="contracts"),
]
