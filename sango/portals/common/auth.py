"""Who may enter a portal: each door admits one kind of account, and sends everyone else away
the same way — anonymous visitors to that door's login, other accounts to a 403 (the address
is not theirs). The login of a door refuses other kinds of account in the same words as a
wrong password, so nothing is learnt about which accounts exist."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from sango.portals.common.two_factor import second_factor_redirect
from sango.security import two_factor


def door(is_member: Callable, login_url: str, refusal: str) -> Callable:
    """A view decorator admitting only users for whom ``is_member(user)`` holds and who have
    passed their second factor (or set one up, where their role must have one)."""
    namespace = login_url.split(":")[0]

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse(login_url))
            if not is_member(request.user):
                raise PermissionDenied(refusal)
            step = two_factor.pending_step(request)
            if step is not None:
                return second_factor_redirect(request, namespace, step)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def login_view(
    *,
    is_member: Callable,
    base: str,
    title: str,
    lead: str,
    home: str,
    form: type[auth_views.AuthenticationForm] = auth_views.AuthenticationForm,
    links: tuple[tuple[str, str], ...] = (),
):
    """The login view of a door (``portals/login.html`` inside the door's ``base`` layout):
    Django's LoginView with ``form`` (a door may label or check more), refusing accounts of
    other doors. ``links`` are (URL name, label) pairs shown under the form (sign-up, reset)."""

    class DoorLoginForm(form):
        def confirm_login_allowed(self, user) -> None:
            super().confirm_login_allowed(user)
            if not is_member(user):
                raise forms.ValidationError(
                    self.error_messages["invalid_login"],
                    code="invalid_login",
                    params={"username": self.username_field.verbose_name},
                )

    return auth_views.LoginView.as_view(
        template_name="portals/login.html",
        authentication_form=DoorLoginForm,
        next_page=home,
        extra_context={
            "door_base": base,
            "door_title": title,
            "door_lead": lead,
            "door_links": links,
        },
    )
