"""Public pages of the programmes: the list, one programme on a day, and the quote simulator.

Views only read the request, call a selector and render (STYLE.md 7). The day defaults to
today in Asia/Tokyo (``TIME_ZONE``): a page always says which day's rules it shows.

The list's and a programme page's content are the same for every visitor, so they are kept
(``sango.programs.cache``); so is the simulator's layout, filled per request with what the
visitor typed; and so is the frame around each, filled with the visitor's CSRF token.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from sango.programs import cache, quotes, selectors
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
    programs = selectors.programmes()

    def content() -> str:
        context = {"today": today, "summaries": selectors.programme_summaries(today)}
        return render_to_string("programs/_list.html", context)

    html = cache.list_fragment(programs, today=today, render=content)
    return cache.render_in_frame(request, "programs/list.html", {"content": html}, key=())


@require_GET
def programme_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One programme as in force on ``?on=`` (default today).

    An unreadable ``on`` gives 400 with a message and today's rules, never a server error.
    """
    program = _program_or_404(code)
    today = timezone.localdate()
    form = DayForm(request.GET)
    valid = form.is_valid()
    day = (form.cleaned_data["on"] if valid else None) or today

    def content() -> str:
        page = selectors.programme_page(program, day, today=today)
        return render_to_string("programs/_detail.html", {"page": page, "form": form})

    # The page repeats its address (``?on=`` as typed): it is kept only for the addresses the
    # pages link to (none, or the ISO date), so that what a visitor types cannot fill the cache.
    typed = form.data.get("on") or ""
    query = request.META.get("QUERY_STRING", "")
    keep = valid and typed in ("", day.isoformat()) and query in ("", f"on={typed}")
    if keep:
        html = cache.programme_fragment(program, day=day, today=today, echo=typed, render=content)
    else:
        html = content()
    return cache.render_in_frame(
        request,
        "programs/detail.html",
        {"program": program, "content": html},
        key=(program.code, cache.revision(program)),
        status=200 if valid else 400,
    )


@require_http_methods(["GET", "POST"])
def quote(request: HttpRequest, code: str) -> HttpResponse:
    """利用料金の試算: a POST form (CSRF-protected), the result in the response.

    Not a GET form: the baby's birth date and the household tier would sit in every access log
    and browser history next to the address. The page's address carries nothing typed, so a
    link to it is the empty simulator; a GET with a query (an old link that held the answers) is
    sent to the bare address, so that the page never repeats the query (the language form's
    ``next``) and the next address logged carries nothing.
    """
    program = _program_or_404(code)
    if request.method == "GET" and request.META.get("QUERY_STRING"):
        return HttpResponseRedirect(request.path)
    today = timezone.localdate()
    data = request.POST if request.method == "POST" else None
    choices = cache.quote_choices(program, QuoteForm.day_hint(data or {}, today))
    form = QuoteForm(
        data,
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
    return cache.render_in_frame(
        request,
        "programs/quote.html",
        {"program": program, "content": _quote_content(request, program, form, result)},
        key=(program.code, cache.revision(program)),
    )


def _quote_content(
    request: HttpRequest, program: Program, form: QuoteForm, result: quotes.Quote | None
) -> str:
    """The simulator's kept layout, filled with this request's result, errors and fields."""

    def layout(slots: cache.Slots) -> str:
        context = {
            "program": program,
            "slots": slots,
            "fields": form.fields,
            "used_slots": [slots[name] for name in form.used_fields],
        }
        return render_to_string("programs/_quote.html", context)

    values = {
        "result": render_to_string("programs/_quote_result.html", {"result": result})
        if result
        else "",
        "errors": render_to_string("programs/_quote_errors.html", {"form": form})
        if form.errors
        else "",
        "details_open": " open" if form.details_open else "",
        "csrf": format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
        ),
    }
    kept = cache.quote_layout(form.prepared, layout)
    for name in kept.slots:
        if name not in values:
            values[name] = form.field_html(name)
    return kept.fill(values)
