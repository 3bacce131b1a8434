"""お知らせ: her messages, newest first with the unread marked, and one message, opened (which
marks it read)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_GET

from sango.notifications.selectors import messages_of
from sango.notifications.services import message_mark_read
from sango.portals.my.auth import mother_required

PER_PAGE = 20


@require_GET
@mother_required
def message_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(messages_of(request.user).defer("body"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "my/messages/list.html", {"page": page})


@require_GET
@mother_required
def message(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(messages_of(request.user), pk=pk)
    return render(
        request, "my/messages/message.html", {"message": message_mark_read(message=found)}
    )


urlpatterns = [
    path("messages/", message_list, name="messages"),
    path("messages/<int:pk>/", message, name="message"),
]
