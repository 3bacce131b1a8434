"""実績: the programme's figures for a fiscal year, their charts and downloads, the year's
budget, and the subsidy claim report (交付金の基礎資料) as PDF and XLSX. Aggregates only: no page
here names a mother."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from sango.core.errors import ServiceError
from sango.portals.common.once import submit_once
from sango.portals.staff import charts
from sango.portals.staff.auth import staff_required
from sango.portals.staff.forms.statistics import BudgetForm, YearForm
from sango.portals.staff.views.decisions import GET_POST
from sango.programs.rules_for import program_for
from sango.reports import files
from sango.reports.budgets import budget_of
from sango.reports.exports import Table
from sango.reports.fiscal import FiscalYear
from sango.reports.funding import claim_report, claim_report_pdf, claim_report_table
from sango.reports.page import Statistics, statistics_for, table_for
from sango.reports.services import budget_set

FORMATS = ("csv", "csv_cp932", "xlsx")


def _years(request: HttpRequest) -> tuple[int, int]:
    """The fiscal years that can be shown: from the programme's first version to this one."""
    first = FiscalYear.of(program_for(request.user.municipality.code).versions[0].effective_from)
    return first.year, FiscalYear.of(timezone.localdate()).year


def _year(request: HttpRequest, year: int) -> FiscalYear:
    first, last = _years(request)
    if not first <= year <= last:
        raise Http404("この年度は表示できません。")
    return FiscalYear(year)


@require_GET
@staff_required
def statistics(request: HttpRequest) -> HttpResponse:
    """The year's figures; ``?year=2025`` chooses the year (default: the current one)."""
    first, last = _years(request)
    form = YearForm(request.GET if "year" in request.GET else None, first=first, last=last)
    chosen = form.cleaned_data.get("year") if form.is_valid() else None
    year = FiscalYear(chosen or last)
    if not form.is_bound or not form.is_valid():
        form.initial["year"] = str(year.year)
    figures = statistics_for(request.user, year)
    context = {
        "form": form,
        "s": figures,
        "uses_chart": _uses_chart(figures),
        "budget_chart": _budget_chart(figures),
        "formats": _format_labels(),
    }
    return render(request, "staff/statistics/statistics.html", context)


def _uses_chart(s: Statistics):
    return charts.stacked_bars(
        key="uses",
        title=_("月別・サービス別の延べ利用数（%(year)s）") % {"year": s.year.label},
        labels=s.months,
        series=s.uses.series,
        unit=_("件"),
    )


def _budget_chart(s: Statistics):
    """Cumulative subsidy and 請求確定額 up to this month, against the budget line."""
    today = timezone.localdate()
    shown = sum(1 for m in s.year.months if m <= today)

    def upto(values: list[int]) -> list[int | None]:
        return [v if i < shown else None for i, v in enumerate(values)]

    series = {
        _("助成額の累計（記録済み）"): upto(s.budget.committed),
        _("請求確定額の累計"): upto(s.budget.claimed),
    }
    if s.budget.budget is not None:
        series[_("予算額")] = [s.budget.budget] * len(s.year.months)
    return charts.lines(
        key="budget",
        title=_("予算の執行状況（%(year)s）") % {"year": s.year.label},
        labels=s.months,
        series=series,
        empty=s.empty and s.budget.budget is None,
    )


def _format_labels() -> list[tuple[str, str]]:
    return [
        ("xlsx", _("Excel")),
        ("csv", _("CSV（UTF-8）")),
        ("csv_cp932", _("CSV（Shift_JIS）")),
    ]


def _file(table: Table, fmt: str, year: FiscalYear) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("この形式では出力できません。")
    response = HttpResponse(files.render(table, fmt), content_type=files.content_type(fmt))
    response["Content-Disposition"] = files.content_disposition(
        files.filename(table, fmt, year.first, year.last),
        files.filename_japanese(table, fmt, year.first, year.last),
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@staff_required
def statistics_download(request: HttpRequest, year: int, table: str, fmt: str) -> HttpResponse:
    """One table of the page as CSV (UTF-8 with BOM, or CP932) or XLSX."""
    fiscal = _year(request, year)
    if fmt not in FORMATS:
        raise Http404("この形式では出力できません。")
    try:
        figures = table_for(request.user, fiscal, table)
    except LookupError:
        raise Http404("この表はありません。") from None
    return _file(figures, fmt, fiscal)


@require_GET
@staff_required
def claim_report_file(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    """交付金の基礎資料 as a printable PDF, or as XLSX."""
    fiscal = _year(request, year)
    report = claim_report(request.user, fiscal)
    if fmt == "pdf":
        response = HttpResponse(claim_report_pdf(report), content_type="application/pdf")
        title = f"交付金の基礎資料_{fiscal.label}.pdf"
        response["Content-Disposition"] = files.content_disposition(
            f"subsidy_claim_{fiscal.year}.pdf", title
        ).replace("attachment", "inline", 1)
        response["Cache-Control"] = "no-store"
        return response
    if fmt != "xlsx":
        raise Http404("この形式では出力できません。")
    return _file(claim_report_table(report), fmt, fiscal)


@GET_POST
@staff_required
def budget(request: HttpRequest, year: int) -> HttpResponse:
    """予算額の入力 for a fiscal year (a clerk or an approver; replaced by a 補正予算)."""
    fiscal = _year(request, year)
    current = budget_of(request.user, fiscal)
    initial = {"amount": f"{current.amount:,}"} if current else {}
    form = BudgetForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():

        def enter() -> str:
            budget_set(
                actor=request.user,
                municipality_id=request.user.municipality_id,
                fiscal_year=fiscal.year,
                amount=form.cleaned_data["amount"],
            )
            messages.success(
                request, _("%(year)sの予算額を保存しました。") % {"year": fiscal.label}
            )
            return reverse("staff:statistics") + f"?year={fiscal.year}#budget"

        try:
            return submit_once(request, form.cleaned_data["once"], enter)
        except ServiceError as error:
            form.add_service_error(error)
    context = {"form": form, "year": fiscal, "current": current}
    return render(request, "staff/statistics/budget.html", context)


@require_GET
@cache_control(max_age=3600, public=True)
def chart_css(request: HttpRequest) -> HttpResponse:
    """The charts' stylesheet (pygal's, one for all charts; no inline style under the CSP)."""
    return HttpResponse(charts.stylesheet(), content_type="text/css; charset=utf-8")


urlpatterns = [
    path("statistics/", statistics, name="statistics"),
    path("statistics/charts.css", chart_css, name="statistics_chart_css"),
    path(
        "statistics/<int:year>/tables/<slug:table>/<slug:fmt>/",
        statistics_download,
        name="statistics_download",
    ),
    path(
        "statistics/<int:year>/subsidy-claim/<slug:fmt>/",
        claim_report_file,
        name="statistics_claim_report",
    ),
    path("statistics/<int:year>/budget/", budget, name="statistics_budget"),
]
