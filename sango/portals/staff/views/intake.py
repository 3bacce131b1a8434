"""The paper before the decision: entering a 利用申請書, 受付 of a draft, the 聞き取り調査, the
household tier, the documents received and the 担当者. Each page reads the case through the
staff selectors (another municipality's or office's case is a 404), parses the paper with a
form built from the programme version concerned, calls one service and goes back to the case.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sango.applications.models import Application
from sango.applications.services import (
    application_assign,
    application_receive,
    application_record_documents,
    application_record_interview,
    application_submit,
    application_verify_tier,
)
from sango.core.errors import ServiceError
from sango.portals.common.once import submit_once
from sango.portals.staff import selectors
from sango.portals.staff.auth import staff_required
from sango.portals.staff.case import allowed_actions
from sango.portals.staff.forms.intake import ApplicationForm, ServiceErrorForm
from sango.portals.staff.forms.intake_steps import (
    AssignForm,
    DocumentsForm,
    InterviewForm,
    ReceiveForm,
    TierForm,
)
from sango.programs.rules_for import rules_on
from sango.rules.program import RuleSet
from sango.rules.request import parse_date

TEMPLATES = "staff/intake/"


def _rules_on_typed_day(code: str, typed: str | None) -> RuleSet:
    """The version in force on the day typed in the form (申請日, 実施日), today's when the
    day cannot be read yet (the form then shows why) or precedes every version."""
    today = timezone.localdate()
    day = parse_date(typed) if typed else None
    if day is not None and day != today:
        try:
            return rules_on(code, day)
        except ServiceError:
            pass
    return rules_on(code, today)


def _rules_taken_under(application: Application) -> RuleSet:
    """The version the application was taken under (today's for a draft)."""
    moment = application.submitted_at or timezone.now()
    return rules_on(application.municipality.code, timezone.localtime(moment).date())


def _save(
    request: HttpRequest, form: ServiceErrorForm, call: Callable[[], Any], done: str = ""
) -> HttpResponse | None:
    """Run ``call`` (one service, returning the application) once for the form's token and go
    to the case page with ``done``; None, with the service's message on the form, if refused."""

    def action() -> str:
        application = call()
        if done:
            messages.success(request, done)
        return reverse("staff:case", args=[application.pk])

    try:
        return submit_once(request, form.cleaned_data["once"], action)
    except ServiceError as error:
        form.add_service_error(error)
        return None


# --- 利用申請書 -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_required
def application_new(request: HttpRequest) -> HttpResponse:
    """利用申請書 entry: one form in the paper's order, saved in one step (application_receive)."""
    user = request.user
    data = request.POST if request.method == "POST" else None
    rules = _rules_on_typed_day(user.municipality.code, data and data.get("submitted_on"))
    form = ApplicationForm(
        data,
        user=user,
        rules=rules,
        offices=[o for o in selectors.offices_of(user) if o.code in rules.process.offices],
        facilities=list(selectors.contracted_facilities(user)),
    )
    duplicates: list[Application] = []
    if data is not None:
        if form.is_valid():
            response = _receive(request, form)
            if response is not None:
                return response
        kana, born = form.cleaned_data.get("name_kana"), form.cleaned_data.get("birth_date")
        if kana and born:
            duplicates = selectors.open_applications_like(user, name_kana=kana, birth_date=born)
    context = {"form": form, "rules": rules, "duplicates": duplicates}
    return render(request, TEMPLATES + "application_new.html", context)


def _receive(request: HttpRequest, form: ApplicationForm) -> HttpResponse | None:
    """application_receive, after the check for an open application of the same mother: inside
    the once-only action, so that a form sent twice goes to the first case without a warning."""
    data = form.cleaned_data

    def receive() -> Application:
        duplicates = selectors.open_applications_like(
            request.user, name_kana=data["name_kana"], birth_date=data["birth_date"]
        )
        if duplicates and not data["duplicate_confirmed"]:
            raise ServiceError(
                _("同じ方（フリガナと生年月日が同じ）の申請が進行中です。確認してください。"),
                field="duplicate_confirmed",
            )
        existing = duplicates[0].mother if duplicates else None
        application = application_receive(
            actor=request.user, existing_mother=existing, **form.receive_arguments()
        )
        messages.success(request, _("利用申請を受け付けました。"))
        return application

    return _save(request, form, receive)


# --- the steps of one case ---------------------------------------------------------------------


def _step_page(
    request: HttpRequest,
    application: Application,
    template: str,
    form: ServiceErrorForm,
    *,
    step: str | None,
    rules: RuleSet,
    **extra: Any,
) -> HttpResponse:
    """A case step's page; ``available`` is False when the case's state has no such step."""
    available = step is None or step in allowed_actions(application, request.user, rules)
    context = {"application": application, "form": form, "rules": rules, "available": available}
    return render(request, TEMPLATES + template, context | extra)


@require_http_methods(["GET", "POST"])
@staff_required
def receive(request: HttpRequest, pk: int) -> HttpResponse:
    """受付 of a draft application (one started online or saved earlier)."""
    application = selectors.case_for(request.user, pk)
    data = request.POST if request.method == "POST" else None
    rules = _rules_on_typed_day(application.municipality.code, data and data.get("submitted_on"))
    form = ReceiveForm(data, rules=rules)
    if data is not None and form.is_valid():
        response = _save(
            request,
            form,
            lambda: application_submit(
                application=application, actor=request.user, **form.submit_arguments()
            ),
            _("申請を受け付けました。"),
        )
        if response is not None:
            return response
    return _step_page(request, application, "receive.html", form, step="submit", rules=rules)


@require_http_methods(["GET", "POST"])
@staff_required
def interview(request: HttpRequest, pk: int) -> HttpResponse:
    """聞き取り調査: the need and exclusions the programme names, and the facility's note."""
    application = selectors.case_for(request.user, pk)
    data = request.POST if request.method == "POST" else None
    rules = _rules_on_typed_day(application.municipality.code, data and data.get("conducted_on"))
    form = InterviewForm(data, rules=rules)
    if data is not None and form.is_valid():
        response = _save(
            request,
            form,
            lambda: (
                application_record_interview(
                    application=application, actor=request.user, **form.interview_arguments()
                ).application
            ),
            _("聞き取り調査を記録しました。"),
        )
        if response is not None:
            return response
    return _step_page(request, application, "interview.html", form, step="interview", rules=rules)


@require_http_methods(["GET", "POST"])
@staff_required
def tier(request: HttpRequest, pk: int) -> HttpResponse:
    """世帯の区分の確認, under the tiers of the version the application was taken under."""
    application = selectors.case_for(request.user, pk)
    rules = _rules_taken_under(application)
    data = request.POST if request.method == "POST" else None
    form = TierForm(data, rules=rules, application=application)
    if data is not None and form.is_valid():
        response = _save(
            request,
            form,
            lambda: application_verify_tier(
                application=application,
                actor=request.user,
                tier=form.cleaned_data["tier"],
                basis=form.cleaned_data["tier_basis"],
                checked_on=form.cleaned_data["checked_on"],
            ),
            _("世帯の区分を記録しました。"),
        )
        if response is not None:
            return response
    home = rules.eligibility.residence.temporary_return_tier == "home_municipality"
    returning = application.residence == Application.Residence.TEMPORARY_RETURN and home
    return _step_page(
        request, application, "tier.html", form, step="tier", rules=rules, returning=returning
    )


@require_http_methods(["GET", "POST"])
@staff_required
def documents(request: HttpRequest, pk: int) -> HttpResponse:
    """提出書類: tick what the office holds, untick what was recorded by mistake."""
    application = selectors.case_for(request.user, pk)
    rules = _rules_taken_under(application)
    data = request.POST if request.method == "POST" else None
    form = DocumentsForm(data, rules=rules, application=application)
    if data is not None and form.is_valid():
        response = _save(
            request,
            form,
            lambda: application_record_documents(
                application=application, actor=request.user, received=form.received()
            ),
            _("提出書類の受領を記録しました。"),
        )
        if response is not None:
            return response
    return _step_page(request, application, "documents.html", form, step="documents", rules=rules)


@require_http_methods(["GET", "POST"])
@staff_required
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    """担当者の変更: one of the municipality's active clerks and approvers."""
    application = selectors.case_for(request.user, pk)
    data = request.POST if request.method == "POST" else None
    form = AssignForm(
        data, workers=list(selectors.workers_of(request.user)), application=application
    )
    if data is not None and form.is_valid():
        response = _save(
            request,
            form,
            lambda: application_assign(
                application=application,
                actor=request.user,
                assignee=form.workers[form.cleaned_data["assignee"]],
            ),
            _("担当者を変更しました。"),
        )
        if response is not None:
            return response
    rules = _rules_taken_under(application)
    return _step_page(request, application, "assign.html", form, step=None, rules=rules)


urlpatterns = [
    path("applications/new/", application_new, name="application_new"),
    path("cases/<int:pk>/receive/", receive, name="application_submit"),
    path("cases/<int:pk>/interview/", interview, name="interview"),
    path("cases/<int:pk>/tier/", tier, name="tier"),
    path("cases/<int:pk>/documents/", documents, name="documents"),
    path("cases/<int:pk>/assign/", assign, name="assign"),
]
