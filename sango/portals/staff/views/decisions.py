"""Decisions and money: 承認・不承認 (with a confirmation step), 利用変更（中止）申請 and its
decision, 償還払い (entered from the receipt, decided by the approver) and the line-by-line
review of the facilities' monthly claims (委託料請求).

Every form that changes something carries the one-time token (``submit_once``); a decision is
an approver's (``approver_required``, or a 403 on the POST of a page a clerk may read).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sango.applications.changes import change_request_decide, change_request_submit
from sango.applications.models import Application, ChangeRequest, Decision
from sango.applications.services import application_approve, application_reject, grants_check
from sango.core.errors import ServiceError
from sango.portals.common.once import submit_once
from sango.portals.staff import selectors
from sango.portals.staff.auth import approver_required, staff_required
from sango.portals.staff.forms import decisions as forms
from sango.programs.rules_for import rules_on
from sango.programs.selectors import service_name
from sango.rules.program import RuleSet
from sango.rules.request import parse_date
from sango.usage.selectors import remaining_by_cap

GET_POST = require_http_methods(["GET", "POST"])
PAGE_ROWS = 100  # rows per list page; the count says how many there are


def rules_for_day(code: str, day: date, fallback: date | None = None) -> RuleSet:
    """The version in force on ``day``, or on ``fallback`` when no version covers ``day``."""
    try:
        return rules_on(code, day)
    except ServiceError:
        if fallback is None:
            raise
        return rules_on(code, fallback)


def service_label(code: str, day: date, service: str) -> str:
    try:
        return service_name(rules_on(code, day), service)
    except ServiceError:
        return service


def _letter_message(request: HttpRequest, text: str, decision: Decision | None) -> None:
    if decision is None:
        messages.success(request, text)
        return
    messages.success(
        request,
        format_html(
            '{} <a href="{}">{}</a>',
            text,
            reverse("staff:letter", args=[decision.pk]),
            _("通知書（%(number)s）を開く") % {"number": decision.number},
        ),
    )


def case_url(application: Application) -> str:
    return reverse("staff:case", args=[application.pk])


def _confirming(request: HttpRequest) -> bool:
    """A POST that is not "戻って修正する": check the form, then confirm or issue."""
    return request.method == "POST" and "back" not in request.POST


# --- 承認 / 不承認 -------------------------------------------------------------------------------


def _approval_form(request: HttpRequest, application: Application) -> forms.ApprovalForm:
    today = timezone.localdate()
    code = application.municipality.code
    default_start = forms.approval_start(application, today)
    typed = parse_date(request.POST.get("valid_from", "")) if request.method == "POST" else None
    taken_on = (
        timezone.localtime(application.submitted_at).date() if application.submitted_at else today
    )
    return forms.ApprovalForm(
        request.POST if request.method == "POST" else None,
        application=application,
        rules=rules_for_day(code, typed or default_start, default_start),
        taken=rules_for_day(code, taken_on, today),
        facilities=selectors.contracted_facilities(request.user),
        today=today,
    )


def _grants_allowed(form: forms.ApprovalForm, application: Application) -> bool:
    """The programme's own check of the quantities, before the confirmation page (the
    approval checks them again)."""
    try:
        grants_check(form.rules, application, form.grants())
    except ServiceError as error:
        form.add_service_error(error)
        return False
    return True


@GET_POST
@approver_required
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    """承認: the form, then 「次の内容で承認し…」, then the decision and the voucher."""
    application = selectors.case_for(request.user, pk)
    form = _approval_form(request, application)
    context = {"application": application, "form": form}
    if _confirming(request) and form.is_valid() and _grants_allowed(form, application):
        if "confirm" not in request.POST:
            return render(request, "staff/decisions/approve_confirm.html", context)

        def issue() -> str:
            data = form.cleaned_data
            decision = application_approve(
                application=application,
                actor=request.user,
                grants=form.grants(),
                facility_id=data["facility"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
            )
            _letter_message(request, _("承認し、利用承認通知書兼利用券を発行しました。"), decision)
            return case_url(application)

        try:
            return submit_once(request, form.cleaned_data["once"], issue)
        except ServiceError as error:
            form.add_service_error(error)
    return render(request, "staff/decisions/approve.html", context)


@GET_POST
@approver_required
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    """不承認: the reason, then 「不承認通知書を発行します」, then the decision."""
    application = selectors.case_for(request.user, pk)
    form = forms.RejectionForm(request.POST if request.method == "POST" else None)
    context = {"application": application, "form": form}
    if _confirming(request) and form.is_valid():
        if "confirm" not in request.POST:
            return render(request, "staff/decisions/reject_confirm.html", context)

        def issue() -> str:
            decision = application_reject(
                application=application, actor=request.user, reason=form.cleaned_data["reason"]
            )
            _letter_message(request, _("不承認とし、不承認通知書を発行しました。"), decision)
            return case_url(application)

        try:
            return submit_once(request, form.cleaned_data["once"], issue)
        except ServiceError as error:
            form.add_service_error(error)
    return render(request, "staff/decisions/reject.html", context)


# --- 利用変更（中止）申請 ---------------------------------------------------------------


def _current_grants(application: Application) -> dict[str, int]:
    return {g.cap: g.quantity for g in application.grants.all()}


@GET_POST
@staff_required
def change_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The paper 利用変更（中止）申請書, entered by a clerk."""
    application = selectors.case_for(request.user, pk)
    form = forms.ChangeRequestForm(
        request.POST if request.method == "POST" else None,
        rules=rules_for_day(application.municipality.code, timezone.localdate()),
        current=_current_grants(application),
        facilities=selectors.contracted_facilities(request.user),
    )
    if request.method == "POST" and form.is_valid():

        def enter() -> str:
            change = change_request_submit(
                application=application, actor=request.user, **form.changes()
            )
            messages.success(
                request,
                _("%(kind)sの申請を受け付けました。決裁者の決定を待ちます。")
                % {"kind": change.get_kind_display()},
            )
            return case_url(application)

        try:
            return submit_once(request, form.cleaned_data["once"], enter)
        except ServiceError as error:
            form.add_service_error(error)
    context = {"application": application, "form": form}
    return render(request, "staff/decisions/change_new.html", context)


def _change_rows(change: ChangeRequest, rules: RuleSet) -> list[dict[str, Any]]:
    """Per cap: the current grant, the one asked for, and what was used so far."""
    application = change.application
    voucher = getattr(application, "voucher", None)
    today = timezone.localdate()
    used = remaining_by_cap(voucher=voucher, rules=rules, day=today) if voucher else {}
    current = _current_grants(application)
    return [
        {
            "name": cap.name,
            "unit": cap.unit,
            "current": current.get(cap.code),
            "requested": change.grants.get(cap.code),
            "used": used[cap.code]["used"] if cap.code in used else None,
        }
        for cap in rules.caps
    ]


@GET_POST
@staff_required
def change(request: HttpRequest, pk: int) -> HttpResponse:
    """A change request next to what is granted and used; the approver decides here."""
    change = selectors.change_for(request.user, pk)
    if request.method == "POST" and not request.user.is_approver:
        raise PermissionDenied(_("決定は決裁者が行います。"))
    rules = rules_for_day(change.application.municipality.code, timezone.localdate())
    form = None
    # A POST is read even once decided: a repeated confirm goes where the first one went.
    if request.method == "POST" or (
        request.user.is_approver and change.status == ChangeRequest.Status.SUBMITTED
    ):
        form = forms.ChangeDecisionForm(request.POST if request.method == "POST" else None)
    context = {
        "change": change,
        "application": change.application,
        "rows": _change_rows(change, rules),
        "form": form,
        "decision": getattr(change, "decision", None),
    }
    if form is not None and _confirming(request) and form.is_valid():
        if "confirm" not in request.POST:
            return render(request, "staff/decisions/change_confirm.html", context)

        def decide() -> str:
            decision = change_request_decide(
                change=change,
                actor=request.user,
                approve=form.approve,
                reason=form.cleaned_data["reason"],
            )
            text = (
                _("%(kind)sを承認しました。") if form.approve else _("%(kind)sを不承認にしました。")
            )
            _letter_message(request, text % {"kind": change.get_kind_display()}, decision)
            return case_url(change.application)

        try:
            return submit_once(request, form.cleaned_data["once"], decide)
        except ServiceError as error:
            form.add_service_error(error)
    return render(request, "staff/decisions/change.html", context)


# --- 償還払い ------------------------------------------------------------------------------------


urlpatterns = [
    path("cases/<int:pk>/approve/", approve, name="approve"),
    path("cases/<int:pk>/reject/", reject, name="reject"),
    path("cases/<int:pk>/change/", change_new, name="change_new"),
    path("changes/<int:pk>/", change, name="change"),
]
