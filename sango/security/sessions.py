"""How long a login lasts, and ending every login of a user at once.

Staff, facility and administrator sessions end after ``SANGO_SESSION_IDLE_MINUTES`` without a
request (30; sliding: each request moves it on) and in any case ``SANGO_SESSION_STAFF_HOURS``
after the password was typed (12: one working day). A mother's session has no idle limit — she
opens マイページ on her own phone now and then — and ends ``SANGO_SESSION_MOTHER_DAYS`` after
login (7). The cookie itself lives as long as the longest of these (``SESSION_COOKIE_AGE``);
the limits are checked here, on the server, on every request.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.models import AuthToken

from sango.audit.services import audit_record
from sango.security.models import SessionRecord

STARTED = "sango_started_at"
SEEN = "sango_seen_at"
# The last-seen time is written at most this often, so that a page of requests saves the
# session once rather than on each of them.
SEEN_RESOLUTION = 60


def limits_for(user) -> tuple[timedelta | None, timedelta]:
    """(idle limit or None, absolute lifetime) of ``user``'s sessions."""
    if user.role == user.Role.MOTHER and not user.is_superuser:
        return None, timedelta(days=settings.SANGO_SESSION_MOTHER_DAYS)
    return (
        timedelta(minutes=settings.SANGO_SESSION_IDLE_MINUTES),
        timedelta(hours=settings.SANGO_SESSION_STAFF_HOURS),
    )


def expired(session, user, now: float) -> bool:
    idle, lifetime = limits_for(user)
    started = session.get(STARTED)
    seen = session.get(SEEN)
    if started is not None and now - started > lifetime.total_seconds():
        return True
    return idle is not None and seen is not None and now - seen > idle.total_seconds()


# Where a session is used. The public pages (programmes, the simulator) show nothing of the
# account: they neither read the session (so they are served from the cache without touching
# the database) nor keep an idle session alive.
DOORS = ("/staff/", "/facility/", "/my/", "/admin/", "/api/")


class SessionLifetimeMiddleware:
    """Ends a session past its idle or absolute limit before the view runs; the door then sends
    the visitor to its login, which says why."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(DOORS):
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            session = request.session
            if expired(session, user, now):
                logout(request)
                messages.info(
                    request,
                    _(
                        "しばらく操作がなかったか、ログインから時間がたったため、"
                        "ログアウトしました。もう一度ログインしてください。"
                    ),
                )
            else:
                session.setdefault(STARTED, now)
                if now - session.get(SEEN, 0) > SEEN_RESOLUTION:
                    session[SEEN] = now
        return self.get_response(request)


def session_started(request: HttpRequest, user) -> None:
    """At login: start the clocks and remember the session as the user's."""
    now = time.time()
    request.session[STARTED] = now
    request.session[SEEN] = now
    if request.session.session_key is None:
        request.session.save()
    oldest = timezone.now() - timedelta(days=max(settings.SANGO_SESSION_MOTHER_DAYS, 1))
    SessionRecord.objects.filter(user=user, started_at__lt=oldest).delete()
    SessionRecord.objects.update_or_create(
        session_key=request.session.session_key, defaults={"user": user}
    )


def end_everywhere(user) -> int:
    """End every session and API token of ``user`` (on every device); the count of sessions."""
    AuthToken.objects.filter(user=user).delete()
    audit_record(actor=user, action="account.logout_everywhere", target=user)
    return end_other_sessions(user, keep=None)


def end_other_sessions(user, *, keep: str | None) -> int:
    """End every session of ``user`` but the one keyed ``keep`` (after a second factor is set
    up, the sessions begun without it go); the count ended."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    records = SessionRecord.objects.filter(user=user).exclude(session_key=keep or "")
    keys = list(records.values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    records.delete()
    return len(keys)
