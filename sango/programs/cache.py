"""What the public programme pages keep between requests, and why none of it is personal.

- The content of the list and of a programme's page: the same for every visitor under one
  programme revision, on one day, in one language. Kept in Django's cache (local memory by
  default, Redis when ``SANGO_CACHE_URL`` is set, shared by the workers).
- The simulator's layout: its page rendered once with a hole where each field, the result and
  the errors go (``Layout``), filled per request with what this visitor typed. In the process.
- The frame around each page (``base.html``: the menu and the language switcher), with holes
  for the visitor's CSRF token, the page's address and the content (``render_in_frame``). In
  the process, and only from and for visitors without a session.

A kept fragment's key names everything it was rendered from:

- the municipality and the revision of the document *this process* has loaded: a sha256 of
  the validated document, so that a worker still holding an older document neither serves nor
  stores a page under the newer document's key;
- the code that renders it (templates, Python, translations), so that a shared cache never
  serves a page rendered by the previous release;
- the day shown, today (the page marks the version in force today), the language, and what
  the page echoes back of the address (``?on=``).

Loading a document (``municipalities.services.program_sync``) also replaces the municipality's
generation token, which every fragment is stored with: a fragment kept before the load is a
miss in every process that shares the cache.
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from collections.abc import Callable, Hashable, Mapping
from datetime import date
from functools import cache as once
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

import sango
from sango.programs import quotes
from sango.programs.selectors import facilities_on
from sango.programs.widgets import esc
from sango.rules.program import Program

if TYPE_CHECKING:
    from sango.programs.forms import QuoteFields

logger = logging.getLogger(__name__)

# A fragment describes one day; a day later nobody asks for it with that ``today``.
FRAGMENT_TIMEOUT = 24 * 60 * 60  # seconds
_MEMO_SIZE = 256  # entries per in-process memo; far above programmes × languages × days asked

_revisions: dict[int, tuple[Program, str]] = {}
_choices: dict[Hashable, quotes.Choices] = {}
_layouts: dict[int, tuple[QuoteFields, Layout]] = {}
_frames: dict[tuple, Layout] = {}


def revision(program: Program) -> str:
    """The sha256 (hex) of the validated document ``program`` was built from.

    Computed from the loaded object, not from the file, which may already have been replaced.
    """
    found = _revisions.get(id(program))
    if found is None or found[0] is not program:
        text = program.document.model_dump_json()
        found = (program, hashlib.sha256(text.encode()).hexdigest())
        _remember(_revisions, id(program), found)
    return found[1]


@once
def code_fingerprint() -> str:
    """A sha256 of the package's Python, templates and translations, read once per process."""
    root = Path(sango.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".html", ".mo") and "tests" not in path.parts:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


EVERY = "*"  # the scope of pages that show every programme (the list)


def _generation_key(scope: str) -> str:
    return f"programme:{scope}:generation"


def programme_fragment(
    program: Program, *, day: date, today: date, echo: str, render: Callable[[], str]
) -> SafeString:
    """The content of ``program``'s page for ``day``, from the cache or from ``render()``.

    ``echo`` is what the page repeats of the address (the ``?on=`` text as typed), part of the
    key. A cache that cannot be reached is logged and the page rendered without it.
    """
    return _fragment(program.code, (revision(program), day, today, echo), render)


def list_fragment(programs: list[Program], *, today: date, render: Callable[[], str]) -> SafeString:
    """The content of the list of ``programs`` as in force ``today``, as ``programme_fragment``."""
    return _fragment(EVERY, (tuple(revision(p) for p in programs), today), render)


def _fragment(scope: str, parts: tuple, render: Callable[[], str]) -> SafeString:
    parts = (*parts, code_fingerprint(), get_language())
    key = f"programme:{scope}:{hashlib.sha256(repr(parts).encode()).hexdigest()[:40]}"
    try:
        generation, kept = _lookup(scope, key)
    except Exception as error:  # a cache outage must not take the public pages down
        logger.warning("Programme page cache unavailable, rendering without it: %r", error)
        return mark_safe(render())
    if kept is not None and kept[0] == generation:
        return mark_safe(kept[1])  # HTML this module's caller rendered
    html = mark_safe(render())
    try:
        cache.set(key, (generation, html), timeout=FRAGMENT_TIMEOUT)
    except Exception as error:
        logger.warning("Programme page cache unavailable, page not kept: %r", error)
    return html


def _lookup(scope: str, key: str) -> tuple[str, tuple[str, str] | None]:
    """The scope's generation token and the kept ``(token, html)``, in one round trip."""
    generation_key = _generation_key(scope)
    found = cache.get_many([generation_key, key])
    generation = found.get(generation_key)
    if generation is None:
        # Never set, or evicted: a new token, so that no fragment kept before is trusted.
        cache.add(generation_key, uuid.uuid4().hex, timeout=None)
        generation = cache.get(generation_key)
    return generation, found.get(key)


def programme_invalidate(code: str) -> None:
    """Make every kept page of municipality ``code``, and the list, a miss in every process that
    shares the cache."""
    try:
        cache.set_many({_generation_key(s): uuid.uuid4().hex for s in (code, EVERY)}, timeout=None)
    except Exception as error:
        logger.warning("Programme page cache unavailable, %s not invalidated: %r", code, error)


def quote_choices(program: Program, day: date) -> quotes.Choices:
    """``quotes.quote_choices``, kept in the process per revision and language, and for the
    version and the facilities in force on ``day``: all that the choices depend on, so that
    the days a mother may type share them (and the fields and layout kept with them)."""
    rules = program.version_on(day) or program.versions[0]
    facilities = tuple(f.id for f in facilities_on(program, day))
    key = (program.code, revision(program), rules.effective_from, facilities, get_language())
    found = _choices.get(key)
    if found is None:
        found = quotes.quote_choices(program, day)
        _remember(_choices, key, found)
    return found


class Slots(dict):
    """``{{ slots.name }}`` in a layout's template: a mark where the page's ``name`` goes."""

    def __missing__(self, name: str) -> SafeString:
        return mark_safe(f"\x00slot:{name}\x00")


_SLOT = re.compile(r"\x00slot:(\w+)\x00")


class Layout:
    """A page rendered once with holes (``Slots``), filled with each request's own HTML."""

    def __init__(self, html: str) -> None:
        self._parts = _SLOT.split(html)  # text, slot name, text, slot name, ..., text

    @property
    def slots(self) -> list[str]:
        return self._parts[1::2]

    def is_whole(self, names: set[str]) -> bool:
        """Whether every hole is one of ``names`` and none was mangled (by a filter, say)."""
        text = "".join(self._parts[::2])
        return set(self.slots) <= names and "\x00" not in text and "slot%3A" not in text

    def fill(self, values: Mapping[str, str]) -> SafeString:
        """The page with every hole filled; ``values`` are HTML (escaped where they had to be)."""
        parts = self._parts
        return mark_safe("".join(values[part] if i % 2 else part for i, part in enumerate(parts)))


def quote_layout(fields: QuoteFields, render: Callable[[Slots], str]) -> Layout:
    """The simulator's layout for ``fields`` (one programme revision, day and language), from
    ``render(slots)`` the first time."""
    found = _layouts.get(id(fields))
    if found is None or found[0] is not fields:
        found = (fields, Layout(render(Slots())))
        _remember(_layouts, id(fields), found)
    return found[1]


class _Unkept(Exception):
    """The frame read the request in a way a kept frame cannot hold."""


class _Visitor:
    """The request as a kept frame sees it: without its query or cookies, and with its address
    as a hole. A frame that asks for the address any other way is rendered, not kept."""

    def __init__(self, request: HttpRequest) -> None:
        self._request = request
        self.GET = QueryDict()
        self.COOKIES: dict[str, str] = {}
        self.META = {
            k: v for k, v in request.META.items() if k not in ("QUERY_STRING", "HTTP_COOKIE")
        }

    def __getattr__(self, name: str) -> object:
        if name in ("build_absolute_uri", "get_full_path_info"):
            raise _Unkept(name)
        return getattr(self._request, name)

    def get_full_path(self) -> str:
        return Slots()["address"]


_FRAME_SLOTS = {"content", "csrf_token", "address"}


def render_in_frame(
    request: HttpRequest, template_name: str, context: dict, *, key: tuple, status: int = 200
) -> HttpResponse:
    """``render(request, template_name, context, status=status)``, keeping the frame.

    ``context["content"]`` is the page's content (HTML); the rest of ``context``, which the
    frame shows (a title), must be named by ``key``. The frame is kept per template, path and
    language, with holes for the page's address (its query may hold what the visitor typed),
    the CSRF token and the content, and only for visitors with no cookie but the CSRF and
    language ones: without a session, a visitor sees what any anonymous visitor sees. A frame
    that does not come out with exactly those holes is not kept.
    """
    cookies = set(request.COOKIES) - {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
    if cookies:
        return render(request, template_name, context, status=status)
    frame_key = (template_name, get_script_prefix(), request.path, get_language(), *key)
    frame = _frames.get(frame_key)
    if frame is None:
        slots = Slots()
        holes = {**context, "content": slots["content"], "csrf_token": slots["csrf_token"]}
        try:
            frame = Layout(render(_Visitor(request), template_name, holes).content.decode())
        except _Unkept:
            frame = None
        if frame is None or not frame.is_whole(_FRAME_SLOTS) or "content" not in frame.slots:
            return render(request, template_name, context, status=status)
        _remember(_frames, frame_key, frame)
    values = {
        "content": context["content"],
        "csrf_token": get_token(request),
        "address": esc(request.get_full_path()),
    }
    return HttpResponse(frame.fill(values), status=status)


def forget_in_process() -> None:
    """Forget what this process keeps (frames, layouts, choices, revisions), as after a restart.

    The keys name everything a page depends on, so this is never needed for correctness; tests
    use it to start from nothing.
    """
    for memo in (_frames, _layouts, _choices, _revisions):
        memo.clear()


def _remember(memo: dict, key: Hashable, value: object) -> None:
    if len(memo) >= _MEMO_SIZE:
        memo.clear()  # rare (registry reloads, many days asked); rebuilding is cheap
    memo[key] = value
