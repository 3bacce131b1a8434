"""Applying (利用申請) from マイページ.

Where the programme version in force accepts ``online``: a task list, one part of the form per
page (saved as she goes, so she can stop and resume), the documents uploaded or promised by
post, check your answers, send, and a confirmation with the application number and what
happens next. Where it accepts only 窓口 or 郵送: the offices and notices in the programme's
words and a pre-filled 申請書 PDF to bring or post. Where it works with usage cards: no
application is needed.

A proxy (代理申請) uses the mother's account — see ``sango.applications.online``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sango.applications import online
from sango.core.errors import ServiceError
from sango.letters.application_form import application_form_pdf
from sango.portals.common.files import upload_response
from sango.portals.common.once import submit_once
from sango.portals.my import apply_pages
from sango.portals.my.auth import mother_required
from sango.portals.my.forms.apply import (
    DocumentForm,
    NeedsForm,
    ProxyForm,
    ResidenceForm,
    ServiceErrorForm,
    ServicesForm,
    SubmitForm,
    WhoForm,
)
from sango.programs.rules_for import program_for
from sango.uploads.models import Upload
from sango.uploads.services import upload_remove


def _part_page(
    request: HttpRequest,
    form: ServiceErrorForm,
    action: Callable[[], object],
    template: str,
    context: dict,
) -> HttpResponse:
    """One part of the online form: a valid POST runs its service (``action``) once for the
    form's token and goes back to the task list (or to check your answers); otherwise — a GET,
    bad input or the service's refusal — the page again, with her answers and the messages on
    the form."""
    if request.method == "POST" and form.is_valid():

        def run() -> str:
            action()
            then = "my:apply_check" if request.POST.get("then") == "check" else "my:apply"
            return reverse(then)

        try:
            return submit_once(request, form.cleaned_data["once"], run)
        except ServiceError as error:
            form.add_service_error(error)
    return render(request, template, {**context, "form": form})


@require_GET
@mother_required
def apply(request: HttpRequest) -> HttpResponse:
    state = apply_pages.apply_state(request.user)
    if state is None:
        return redirect(f"{reverse('my:details')}?next={reverse('my:apply')}")
    template = {
        "online": "my/apply/tasks.html",
        "paper": "my/apply/paper.html",
        "usage_card": "my/apply/usage_card.html",
        "sent": "my/apply/sent.html",
        "no_rules": "my/apply/no_rules.html",
    }[state.kind]
    return render(request, template, {"state": state, "form": WhoForm()})


@require_http_methods(["GET", "POST"])
@mother_required
def who(request: HttpRequest) -> HttpResponse:
    """Start (or restart) her online draft, saying who fills it in."""
    state = apply_pages.apply_state(request.user)
    if state is None or state.kind != "online":
        return redirect("my:apply")
    proxy_allowed = "proxy" in state.rules.process.channels
    initial = {"who": "proxy" if state.draft and state.draft.by_proxy else "self"}
    if request.method == "POST":
        form = WhoForm(request.POST, proxy_allowed=proxy_allowed)
    else:
        form = WhoForm(initial=initial, proxy_allowed=proxy_allowed)
    return _part_page(
        request,
        form,
        lambda: online.online_draft_start(
            actor=request.user,
            mother=state.mother,
            by_proxy=form.cleaned_data["who"] == "proxy",
        ),
        "my/apply/who.html",
        {"state": state},
    )


@require_http_methods(["GET", "POST"])
@mother_required
def residence(request: HttpRequest) -> HttpResponse:
    state = apply_pages.online_state(request.user)
    draft = state.draft
    initial = {"residence": draft.residence, "home_municipality": draft.home_municipality}
    form = ResidenceForm(request.POST or None, initial=initial)
    return _part_page(
        request,
        form,
        lambda: online.online_residence_save(
            application=draft,
            actor=request.user,
            residence=form.cleaned_data["residence"],
            home_municipality=form.cleaned_data["home_municipality"],
        ),
        "my/apply/residence.html",
        {"state": state},
    )


@require_http_methods(["GET", "POST"])
@mother_required
def services(request: HttpRequest) -> HttpResponse:
    state = apply_pages.online_state(request.user)
    draft = state.draft
    initial = {f"service_{code}": n for code, n in draft.requested.items()}
    initial["facility"] = draft.facility_id
    form = ServicesForm(
        request.POST or None,
        initial=initial,
        rules=state.rules,
        facilities=apply_pages.facility_choices(draft.municipality_id),
    )
    return _part_page(
        request,
        form,
        lambda: online.online_services_save(
            application=draft,
            actor=request.user,
            requested=form.requested(),
            facility_id=form.cleaned_data["facility"],
        ),
        "my/apply/services.html",
        {"state": state},
    )


@require_http_methods(["GET", "POST"])
@mother_required
def needs(request: HttpRequest) -> HttpResponse:
    state = apply_pages.online_state(request.user)
    draft = state.draft
    form = NeedsForm(request.POST or None, initial={"needs": draft.needs}, rules=state.rules)
    return _part_page(
        request,
        form,
        lambda: online.online_needs_save(
            application=draft, actor=request.user, needs=form.cleaned_data["needs"]
        ),
        "my/apply/needs.html",
        {"state": state},
    )


def _document_rows(state: apply_pages.ApplyState, failed: DocumentForm | None) -> list[dict]:
    """Each document with its answer, its uploads and its own form (the one that failed keeps
    its message)."""
    answers = online.document_answers(state.draft, state.rules)
    uploads = [u for u in state.draft.uploads.all() if u.kind == Upload.Kind.DOCUMENT]
    rows = []
    for index, document in enumerate(online.documents_to_hand_in(state.rules), start=1):
        prefix, initial = f"d{index}", {"document": document.name}
        is_failed = failed is not None and failed.data.get(f"{prefix}-document") == document.name
        rows.append(
            {
                "document": document,
                "answer": answers[document.name],
                "uploads": [u for u in uploads if u.label == document.name],
                # one form (and one-time token) per button
                "form": failed if is_failed else DocumentForm(prefix=prefix, initial=initial),
                "post_form": DocumentForm(prefix=prefix, initial=initial, auto_id=False),
                "skip_form": DocumentForm(prefix=prefix, initial=initial, auto_id=False),
            }
        )
    return rows


@require_http_methods(["GET", "POST"])
@mother_required
def documents(request: HttpRequest) -> HttpResponse:
    state = apply_pages.online_state(request.user)
    failed = None
    if request.method == "POST":
        prefix = request.POST.get("prefix", "")
        form = DocumentForm(request.POST, request.FILES, prefix=prefix)
        if form.is_valid():
            data = form.cleaned_data

            def answer() -> str:
                online.online_document_answer(
                    application=state.draft,
                    actor=request.user,
                    name=data["document"],
                    answer=data["answer"],
                    file=data.get("file"),
                )
                return reverse("my:apply_documents")

            try:
                return submit_once(request, data["once"], answer)
            except ServiceError as error:
                form.add_service_error(error)
        failed = form
    rows = _document_rows(state, failed)
    return render(request, "my/apply/documents.html", {"state": state, "rows": rows})


@require_POST
@mother_required
def upload_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Take back a file of her draft (only while it is a draft: the service checks)."""
    upload = apply_pages.upload_for(request.user, pk)
    back = "my:apply_proxy" if upload.kind != Upload.Kind.DOCUMENT else "my:apply_documents"
    try:
        upload_remove(upload=upload, actor=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect(back)


@require_http_methods(["GET", "POST"])
@mother_required
def proxy(request: HttpRequest) -> HttpResponse:
    state = apply_pages.online_state(request.user)
    draft = state.draft
    if not draft.by_proxy:
        return redirect("my:apply")
    uploads = [u for u in draft.uploads.all() if u.kind != Upload.Kind.DOCUMENT]
    names = online.proxy_document_names(state.rules)
    initial = {
        "proxy_name": draft.proxy_name,
        "proxy_relationship": draft.proxy_relationship,
        "proxy_id_document": draft.proxy_id_document,
    }
    have = {u.kind for u in uploads}
    form = ProxyForm(
        request.POST or None, request.FILES or None, initial=initial, names=names, have=have
    )
    return _part_page(
        request,
        form,
        lambda: online.online_proxy_save(
            application=draft,
            actor=request.user,
            proxy_name=form.cleaned_data["proxy_name"],
            proxy_relationship=form.cleaned_data["proxy_relationship"],
            proxy_id_document=form.cleaned_data["proxy_id_document"],
            proxy_id_file=form.cleaned_data.get("proxy_id_file"),
            attorney_file=form.cleaned_data.get("attorney_file"),
        ),
        "my/apply/proxy.html",
        {"state": state, "uploads": uploads},
    )


@require_http_methods(["GET", "POST"])
@mother_required
def check(request: HttpRequest) -> HttpResponse:
    """Check your answers, each with a Change link, then send."""
    form = SubmitForm(request.POST or None)
    state = apply_pages.apply_state(request.user)
    if request.method == "POST" and (state is None or state.draft is None) and form.is_valid():
        # sent already (a double tap): the spent token leads to the first confirmation
        return _resend(request, form.cleaned_data["once"])
    state = apply_pages.online_state(request.user)
    if request.method == "POST" and form.is_valid():

        def send() -> str:
            sent = online.online_application_submit(application=state.draft, actor=request.user)
            return reverse("my:apply_done", args=[sent.pk])

        try:
            return submit_once(request, form.cleaned_data["once"], send)
        except ServiceError as error:
            form.add_error(None, error.message)
    context = {
        "state": state,
        "form": form,
        "documents": _document_rows(state, None),
        "needs": {c.code: c.label for c in state.rules.eligibility.needs.conditions},
        "gaps": online.gaps(state.draft, state.rules),
        "requested": [
            (state.rules.services[code].name, n, state.rules.services[code].unit)
            for code, n in state.draft.requested.items()
            if code in state.rules.services
        ],
    }
    return render(request, "my/apply/check.html", context)


def _resend(request: HttpRequest, token: str) -> HttpResponse:
    def nothing_to_send() -> str:
        raise ServiceError("送信する申請がありません。")

    try:
        return submit_once(request, token, nothing_to_send)
    except ServiceError:
        return redirect("my:apply")


@require_GET
@mother_required
def done(request: HttpRequest, pk: int) -> HttpResponse:
    """申請を受け付けました: the number, and what happens next in the programme's words."""
    application, rules = apply_pages.submitted_for(request.user, pk)
    program = program_for(application.municipality.code)
    posted = application.documents_by_post
    offices = {o.code: o for o in program.document.offices}
    context = {
        "application": application,
        "rules": rules,
        "posted": posted,
        "offices": [offices[c] for c in rules.process.offices if c in offices],
    }
    return render(request, "my/apply/done.html", context)


@require_GET
@mother_required
def form_pdf(request: HttpRequest) -> HttpResponse:
    """The 申請書 pre-filled with her details, to bring to the office or post."""
    state = apply_pages.apply_state(request.user)
    if state is None:
        return redirect(f"{reverse('my:details')}?next={reverse('my:apply')}")
    if state.rules is None or state.rules.process.mode != "pre_application":
        return redirect("my:apply")
    pdf = application_form_pdf(mother=state.mother, rules=state.rules, program=state.program)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="application-form.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@mother_required
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    """One of her own uploads, shown in the browser."""
    return upload_response(apply_pages.upload_for(request.user, pk))


urlpatterns = [
    path("apply/", apply, name="apply"),
    path("apply/who/", who, name="apply_who"),
    path("apply/residence/", residence, name="apply_residence"),
    path("apply/services/", services, name="apply_services"),
    path("apply/needs/", needs, name="apply_needs"),
    path("apply/documents/", documents, name="apply_documents"),
    path("apply/proxy/", proxy, name="apply_proxy"),
    path("apply/uploads/<int:pk>/remove/", upload_remove_view, name="apply_upload_remove"),
    path("apply/check/", check, name="apply_check"),
    path("apply/<int:pk>/done/", done, name="apply_done"),
    path("apply/form.pdf", form_pdf, name="apply_form_pdf"),
    path("uploads/<int:pk>/", upload, name="upload"),
]
