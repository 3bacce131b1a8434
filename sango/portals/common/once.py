"""Saving once when a submit is double-clicked or a form is sent again (back button, reload).

Each rendered form carries a random ``once`` token. ``submit_once`` spends it in the same
transaction as the service it runs: a second request with the token waits on the unique index,
finds it spent and is sent where the first went, without calling the service again. A request
whose service refused (a ``ServiceError``) rolls back, so the token stays usable for the
corrected form.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from sango.portals.common.models import Submission


def new_token() -> str:
    return secrets.token_urlsafe(24)


class OnceForm(forms.Form):
    """A form with the hidden one-time token; subclass it (or mix ``once`` into a form)."""

    once = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["once"].initial = new_token()
        # A bound form that fails validation is shown again with the same token.


def submit_once(request: HttpRequest, token: str, action: Callable[[], str]) -> HttpResponse:
    """Run ``action`` (which calls one service and returns the URL to go to) once per token,
    and redirect there. A ``ServiceError`` from ``action`` rolls everything back, the token
    included, and reaches the caller, which shows the form again with the message."""
    try:
        with transaction.atomic():
            spent = Submission.objects.create(token=token, user=request.user)
            url = action()
            spent.redirect_to = url
            spent.save(update_fields=["redirect_to"])
    except IntegrityError:
        first = Submission.objects.filter(token=token, user=request.user).first()
        if first is None or not first.redirect_to:
            raise
        messages.info(request, _("この内容はすでに送信済みです（二重送信は保存していません）。"))
        return redirect(first.redirect_to)
    return redirect(url)
