"""制度改正の試算 (what-if): staff replay a period of past uses under a draft programme document
and see what they would have cost, by service and tier, beside what was paid.

Every member of staff may run one (clerks prepare the figures the 要綱 amendment needs,
approvers read them); it changes nothing. The replay runs while the page waits: measured on the
2-core benchmark machine, a million uses take seconds (``benchmarks/bench_whatif.py``) and a
city's year holds a few thousand, so a task queue would only add a page that refreshes.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sango.core.errors import ServiceError
from sango.portals.common.once import submit_once
from sango.portals.staff.auth import staff_required
from sango.portals.staff.forms.whatif import WhatIfForm
from sango.programs.whatif import (
    current_document_text,
    whatif_draft_save,
    whatif_drafts_visible_to,
    whatif_run,
)


def _fiscal_year_start(day: date) -> date:
    return date(day.year if day.month >= 4 else day.year - 1, 4, 1)


@require_http_methods(["GET", "POST"])
@staff_required
def whatif(request: HttpRequest) -> HttpResponse:
    """The draft and the period (prefilled: a copy of the document in force, or a saved draft
    with ``?draft=``, and this fiscal year so far); on submit, the replay's figures above the
    same form, or the draft kept under its name."""
    user = request.user
    code = user.municipality.code
    drafts = whatif_drafts_visible_to(user)
    run = None
    if request.method == "POST":
        saving = request.POST.get("action") == "save"
        form = WhatIfForm(request.POST, request.FILES, municipality_code=code, saving=saving)
        if form.is_valid() and saving:

            def keep() -> str:
                draft = whatif_draft_save(
                    actor=user, name=form.cleaned_data["name"], text=form.cleaned_data["document"]
                )
                messages.success(request, _("案を保存しました。"))
                return f"{reverse('staff:whatif')}?draft={draft.pk}"

            try:
                return submit_once(request, form.cleaned_data["once"], keep)
            except ServiceError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
        elif form.is_valid():
            run = whatif_run(
                municipality=user.municipality,
                draft=form.draft,
                date_from=form.cleaned_data["date_from"],
                date_to=form.cleaned_data["date_to"],
            )
    else:
        chosen = request.GET.get("draft")
        saved = get_object_or_404(drafts, pk=chosen) if chosen and chosen.isdigit() else None
        today = timezone.localdate()
        form = WhatIfForm(
            initial={
                "document": saved.document if saved else current_document_text(code),
                "name": saved.name if saved else "",
                "date_from": _fiscal_year_start(today),
                "date_to": today,
            },
            municipality_code=code,
        )
    context = {"form": form, "run": run, "drafts": drafts[:20]}
    return render(request, "staff/whatif/whatif.html", context)


urlpatterns = [path("whatif/", whatif, name="whatif")]
