"""Money the municipality pays out, reviewed in the office: out-of-area reimbursements
(償還払い) entered from the receipt and decided, and facility claims (委託料請求) reviewed line
by line, then approved or returned."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sango.banking.services import bank_account_confirm
from sango.billing.models import ClaimLine, FacilityClaim
from sango.billing.services import claim_approve, claim_line_review, claim_return
from sango.core.errors import Refused, ServiceError
from sango.core.paging import head_and_total
from sango.portals.common.once import OnceForm, submit_once
from sango.portals.staff import selectors
from sango.portals.staff.auth import staff_required
from sango.portals.staff.forms import money as forms
from sango.portals.staff.views.decisions import (
    GET_POST,
    PAGE_ROWS,
    rules_for_day,
    service_label,
)
from sango.reimbursements.models import Reimbursement
from sango.reimbursements.services import (
    reimbursement_approve,
    reimbursement_preview_of,
    reimbursement_reject,
    reimbursement_submit,
)


@GET_POST
@staff_required
def reimbursement_new(request: HttpRequest, pk: int) -> HttpResponse:
    """A paper 県外医療機関での利用・費用請求, with the receipt's figures."""
    application = selectors.case_for(request.user, pk)
    voucher = getattr(application, "voucher", None)
    today = timezone.localdate()
    rules = rules_for_day(application.municipality.code, today)
    form = forms.ReimbursementForm(request.POST if request.method == "POST" else None, rules=rules)
    if request.method == "POST" and voucher is None:
        form.add_error(None, _("利用券がないため請求を受け付けられません。"))
    elif request.method == "POST" and form.is_valid():

        def enter() -> str:
            claim = reimbursement_submit(voucher=voucher, actor=request.user, **form.submission())
            messages.success(request, _("償還払いの請求を受け付けました。決裁者の決定を待ちます。"))
            return reverse("staff:reimbursement", args=[claim.pk])

        try:
            return submit_once(request, form.cleaned_data["once"], enter)
        except ServiceError as error:
            form.add_service_error(error)
    context = {
        "application": application,
        "voucher": voucher,
        "form": form,
        "offered": rules.process.reimbursement.available,
        "scope": rules.process.reimbursement.scope,
    }
    return render(request, "staff/decisions/reimbursement_new.html", context)


@require_GET
@staff_required
def reimbursements(request: HttpRequest) -> HttpResponse:
    form = forms.ListFilter(request.GET, statuses=Reimbursement.Status.choices)
    rows, total = head_and_total(
        selectors.reimbursements_list(request.user, **form.chosen()), PAGE_ROWS
    )
    code = request.user.municipality.code
    for row in rows:
        row.service_name = service_label(code, row.day, row.service)
    context = {"form": form, "rows": rows, "total": total}
    return render(request, "staff/decisions/reimbursements.html", context)


@GET_POST
@staff_required
def reimbursement(request: HttpRequest, pk: int) -> HttpResponse:
    """One 償還払い claim; the approver decides 支給 (the rules give the amount) or 不支給."""
    claim = selectors.reimbursement_for(request.user, pk)
    posted = request.POST.get("action") if request.method == "POST" else None
    if posted == "confirm_account":  # any member of staff checks an account, not only approvers
        return _confirm_account(request, claim)
    if request.method == "POST" and not request.user.is_approver:
        raise PermissionDenied(_("決定は決裁者が行います。"))
    pay = forms.ReimbursementApproveForm(request.POST if posted == "approve" else None)
    refuse = forms.ReimbursementRejectForm(
        request.POST if posted == "reject" else None, auto_id="reject_%s"
    )
    refusal = None
    chosen = pay if posted == "approve" else refuse
    if posted in ("approve", "reject") and chosen.is_valid():
        url = reverse("staff:reimbursement", args=[claim.pk])

        def decide() -> str:
            if posted == "approve":
                done = reimbursement_approve(reimbursement=claim, actor=request.user)
                messages.success(
                    request,
                    _("支給を決定しました（支給額 %(amount)s円）。")
                    % {"amount": f"{done.amount:,}"},
                )
            else:
                reimbursement_reject(
                    reimbursement=claim, actor=request.user, reason=refuse.cleaned_data["reason"]
                )
                messages.success(request, _("不支給としました。"))
            return url

        try:
            return submit_once(request, chosen.cleaned_data["once"], decide)
        except Refused as error:
            refusal = error
        except ServiceError as error:
            chosen.add_service_error(error)
    context = {
        "claim": claim,
        "service_name": service_label(claim.voucher.municipality.code, claim.day, claim.service),
        "pay": pay,
        "refuse": refuse,
        "refusal": refusal,
        "can_decide": request.user.is_approver and claim.status == Reimbursement.Status.SUBMITTED,
        "preview": _preview(claim),
        "confirm": OnceForm(auto_id="confirm_%s"),
    }
    return render(request, "staff/decisions/reimbursement.html", context)


def _preview(claim: Reimbursement):
    """What approving would pay now, for a claim still to be decided (None once decided, or
    when the rules cannot judge it — the decision then says why)."""
    if claim.status != Reimbursement.Status.SUBMITTED:
        return None
    try:
        return reimbursement_preview_of(reimbursement=claim)
    except ServiceError:
        return None


def _confirm_account(request: HttpRequest, claim: Reimbursement) -> HttpResponse:
    """口座を確認しました: the account checked against the passbook copy or the bank."""
    form = OnceForm(request.POST)
    url = reverse("staff:reimbursement", args=[claim.pk])
    if claim.bank_account is None or not form.is_valid():
        return redirect(url)

    def confirm() -> str:
        bank_account_confirm(account=claim.bank_account, actor=request.user)
        messages.success(request, _("振込先の口座を確認済みにしました。"))
        return url

    try:
        return submit_once(request, form.cleaned_data["once"], confirm)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(url)


# --- 委託料請求 -----------------------------------------------------------------------------------


@require_GET
@staff_required
def claims(request: HttpRequest) -> HttpResponse:
    form = forms.ListFilter(
        request.GET,
        statuses=FacilityClaim.Status.choices,
        months=selectors.claim_months(request.user),
    )
    rows, total = head_and_total(selectors.claims_list(request.user, **form.chosen()), PAGE_ROWS)
    return render(
        request, "staff/decisions/claims.html", {"form": form, "rows": rows, "total": total}
    )


def _claim_lines(claim: FacilityClaim) -> tuple[list[ClaimLine], dict[str, int]]:
    """The lines with their service named, and the totals by status (yen)."""
    lines = list(claim.lines.all())
    totals = {status: 0 for status in ClaimLine.Status.values}
    code = claim.municipality.code
    for line in lines:
        line.service_name = service_label(code, line.use.day, line.use.service)
        totals[line.status] += line.amount
    return lines, totals


def _review(request: HttpRequest, form: forms.ClaimReviewForm, url: str) -> HttpResponse:
    def save() -> str:
        reviews = form.reviews()
        with transaction.atomic():
            for line, review in reviews:
                try:
                    claim_line_review(line=line, actor=request.user, **review)
                except ServiceError as error:
                    error.field = form.field_for_line(line, error.field)
                    raise
        messages.success(
            request, _("審査結果を保存しました（%(count)s件）。") % {"count": len(reviews)}
        )
        return url

    return submit_once(request, form.cleaned_data["once"], save)


@GET_POST
@staff_required
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    """One facility's claim, line by line: 承認 or 返戻 with a numbered reason per line, then
    the approver's 「請求を確定する」 or 「差し戻す」."""
    claim = selectors.claim_for(request.user, pk)
    lines, totals = _claim_lines(claim)
    url = reverse("staff:claim", args=[claim.pk])
    posted = request.POST.get("action") if request.method == "POST" else None
    if posted in ("approve", "return") and not request.user.is_approver:
        raise PermissionDenied(_("決定は決裁者が行います。"))
    review = forms.ClaimReviewForm(request.POST if posted == "review" else None, lines=lines)
    decide = forms.ClaimDecisionForm(
        request.POST if posted in ("approve", "return") else None, auto_id="decide_%s"
    )
    submitted = claim.status == FacilityClaim.Status.SUBMITTED
    try:
        if posted == "review" and review.is_valid():
            return _review(request, review, url)
        if posted in ("approve", "return") and decide.is_valid():
            run = _decision(request, claim, posted, url)
            return submit_once(request, decide.cleaned_data["once"], run)
    except ServiceError as error:
        if not submitted:  # no form is shown for a claim that is not under review
            messages.error(request, error.message)
        (review if posted == "review" else decide).add_service_error(error)
    context = {
        "claim": claim,
        "rows": review.rows(),
        "review": review if submitted else None,
        "decide": decide if submitted and request.user.is_approver else None,
        "totals": totals,
        "posted": posted,
    }
    return render(request, "staff/decisions/claim.html", context)


def _decision(request: HttpRequest, claim: FacilityClaim, posted: str, url: str):
    def run() -> str:
        if posted == "approve":
            done = claim_approve(claim=claim, actor=request.user)
            messages.success(
                request,
                _("請求を確定しました（承認額 %(amount)s円）。")
                % {"amount": f"{done.approved_total:,}"},
            )
        else:
            claim_return(claim=claim, actor=request.user)
            messages.success(request, _("請求を施設へ差し戻しました。"))
        return url

    return run


urlpatterns = [
    path("cases/<int:pk>/reimbursement/", reimbursement_new, name="reimbursement_new"),
    path("reimbursements/", reimbursements, name="reimbursements"),
    path("reimbursements/<int:pk>/", reimbursement, name="reimbursement"),
    path("claims/", claims, name="claims"),
    path("claims/<int:pk>/", claim, name="claim"),
]
