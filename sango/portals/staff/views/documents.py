"""Paper out of the office: one decision's letter, the batch print of a day's letters (a
background task), and the exports for Excel."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from sango.accounts import access
from sango.applications.models import Decision
from sango.core.errors import ServiceError
from sango.letters import jobs
from sango.letters.models import PrintJob
from sango.letters.render import decision_letter_pdf
from sango.letters.selectors import decision_for_letter
from sango.portals.common.fields import DateField
from sango.portals.common.once import OnceForm, submit_once
from sango.portals.staff.auth import staff_required
from sango.reports import exports, files


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "no-store"  # letters carry personal data
    return response


@require_GET
@staff_required
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The letter of one decision, as PDF (someone else's decision is a 404)."""
    visible = access.applications_visible_to(request.user)
    get_object_or_404(Decision.objects.filter(application__in=visible), pk=pk)
    return _pdf(decision_letter_pdf(decision_for_letter(pk)), f"letter-{pk}.pdf")


class PrintForm(OnceForm):
    day = DateField(label=gettext_lazy("決定日"))


class DayForm(forms.Form):
    day = DateField(label=gettext_lazy("決定日"), required=False)


@require_http_methods(["GET", "POST"])
@staff_required
def letters_today(request: HttpRequest) -> HttpResponse:
    """通知書の一括印刷: the letters issued on a day (today by default, or ``?day=``) and the
    recent print jobs; POST queues one PDF of them all."""
    shown = DayForm(request.GET or None, initial={"day": timezone.localdate()})
    picked = shown.cleaned_data.get("day") if shown.is_bound and shown.is_valid() else None
    day = picked or timezone.localdate()
    form = PrintForm(request.POST or None, initial={"day": day})
    if request.method == "POST" and form.is_valid():
        try:
            return submit_once(
                request,
                form.cleaned_data["once"],
                lambda: reverse("staff:print_job", args=[_queue(request, form).pk]),
            )
        except ServiceError as error:
            form.add_error("day" if error.field == "day" else None, error.message)
    context = {
        "form": form,
        "shown": shown,
        "day": day,
        "decisions": jobs.printable_decisions(request.user, day).select_related(
            "application__mother"
        ),
        "jobs": jobs.print_jobs_for(request.user)[:10],
    }
    return render(request, "staff/documents/letters_today.html", context)


def _queue(request: HttpRequest, form: PrintForm) -> PrintJob:
    return jobs.print_job_request(actor=request.user, day=form.cleaned_data["day"])


@require_GET
@staff_required
def print_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A batch print: waiting (the page refreshes itself), ready to download, or failed."""
    job = get_object_or_404(jobs.print_jobs_for(request.user), pk=pk)
    if request.GET.get("download") and job.status == PrintJob.Status.DONE:
        pdf = PrintJob.objects.values_list("pdf", flat=True).get(pk=job.pk)
        return _pdf(bytes(pdf), f"letters-{job.day.isoformat()}.pdf")
    return render(request, "staff/documents/print_job.html", {"job": job})


class ExportForm(forms.Form):
    table = forms.ChoiceField(
        label=gettext_lazy("出力するデータ"),
        choices=[
            ("applications", gettext_lazy("利用申請")),
            ("uses", gettext_lazy("利用の記録")),
            ("claims", gettext_lazy("委託料請求")),
        ],
        widget=forms.RadioSelect,
        initial="applications",
    )
    fmt = forms.ChoiceField(
        label=gettext_lazy("形式"),
        choices=[
            ("xlsx", gettext_lazy("Excel（xlsx）")),
            ("csv", gettext_lazy("CSV（UTF-8、BOM付き）")),
            ("csv_cp932", gettext_lazy("CSV（Shift_JIS、古いExcel用）")),
        ],
        widget=forms.RadioSelect,
        initial="xlsx",
    )
    date_from = DateField(label=gettext_lazy("期間の開始"), required=False)
    date_to = DateField(label=gettext_lazy("期間の終了"), required=False)

    def clean(self):
        data = super().clean()
        first, last = data.get("date_from"), data.get("date_to")
        if first and last and last < first:
            self.add_error("date_to", _("期間の終了は開始より後の日にしてください。"))
        return data


TABLES = {"applications": exports.applications, "uses": exports.uses, "claims": exports.claims}


@require_GET
@staff_required
def export(request: HttpRequest) -> HttpResponse:
    """データ出力: the form, or (with ``table`` chosen) the file for Excel."""
    form = ExportForm(request.GET if "table" in request.GET else None)
    if not form.is_bound or not form.is_valid():
        return render(request, "staff/documents/exports.html", {"form": form})
    d = form.cleaned_data
    table = TABLES[d["table"]](user=request.user, date_from=d["date_from"], date_to=d["date_to"])
    response = HttpResponse(
        files.render(table, d["fmt"]), content_type=files.content_type(d["fmt"])
    )
    response["Content-Disposition"] = files.content_disposition(
        files.filename(table, d["fmt"], d["date_from"], d["date_to"]),
        files.filename_japanese(table, d["fmt"], d["date_from"], d["date_to"]),
    )
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    path("letters/<int:pk>.pdf", letter, name="letter"),
    path("letters/", letters_today, name="letters_today"),
    path("letters/print/<int:pk>/", print_job, name="print_job"),
    path("exports/", export, name="exports"),
]
