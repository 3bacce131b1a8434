"""Public pages of the programmes: the list, one programme on a day, and the quote simulator.

Views only read the request, call a selector and render (STYLE.md 7). The day defaults to
today in Asia/Tokyo (``TIME_ZONE``): a page always says which day's rules it shows.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from sango.programs import quotes, selectors
from sango.programs.forms import DayForm, QuoteForm
from sango.rules.errors import RequestError
from sango.rules.program import Program


def _program_or_404(code: str) -> Program:
    program = selectors.get_program(code)
    if program is None:
        raise Http404("No programme is loaded for this municipality code.")
    return program


def _lang() -> str:
    return "en" if (get_language() or "ja").startswith("en") else "ja"


@require_GET
def programme_list(request: HttpRequest) -> HttpResponse:
    """Every loaded programme as in force today."""
    today = timezone.localdate()
    context = {"today": today, "summaries": selectors.programme_summaries(today)}
    return render(request, "programs/list.html", context)


@require_GET
def programme_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One programme as in force on ``?on=`` (default today).

    An unreadable ``on`` gives 400 with a message and today's rules, never a server error.
    """
    program = _program_or_404(code)
    today = timezone.localdate()
    form = DayForm(request.GET)
    day = (form.cleaned_data["on"] if form.is_valid() else None) or today
    page = selectors.programme_page(program, day, today=today)
    context = {"page": page, "form": form}
    return render(request, "programs/detail.html", context, status=200 if form.is_valid() else 400)


@require_GET
def quote(request: HttpRequest, code: str) -> HttpResponse:
    """利用料金の試算: a GET form, so that a result can be linked and shared."""
    program = _program_or_404(code)
    today = timezone.localdate()
    choices = quotes.quote_choices(program, QuoteForm.day_hint(request.GET, today))
    form = QuoteForm(
        request.GET or None,
        choices=choices,
        municipality=program.code,
        name=program.name,
        today=today,
    )
    result = None
    if form.is_valid():
        try:
            result = quotes.quote_use(program, form.request_data(), lang=_lang())
        except RequestError as error:
            form.add_request_error(error)
    context = {"program": program, "form": form, "result": result, "today": today}
    return render(request, "programs/quote.html", context)
