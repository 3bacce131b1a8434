"""Her account: sign up with e-mail and password (the address verified by a mailed link), the
link sent again, the password reset by mail, and claiming the account こども課 prepared with
the code printed for her. Every mail is sent by the task worker, never during the request."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sango.accounts.claims import account_claim
from sango.accounts.signup import (
    account_sign_up,
    account_verify,
    unverified_account,
    verification_resend,
    verification_tokens,
)
from sango.core.errors import ServiceError
from sango.portals.my.forms.account import (
    ClaimForm,
    EmailForm,
    MotherPasswordResetForm,
    MotherSetPasswordForm,
    SignUpForm,
)

BACKEND = "django.contrib.auth.backends.ModelBackend"
# Wrong claim codes allowed per session and per address in CLAIM_WINDOW seconds.
CLAIM_TRIES, CLAIM_WINDOW = 5, 15 * 60


def _form_page(request: HttpRequest, form, *, title: str, lead: str, button: str, **extra):
    return render(
        request,
        "my/account/form.html",
        {"form": form, "title": title, "lead": lead, "button": button, **extra},
    )


def _field_error(form, error: ServiceError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if form.is_valid():
        try:
            account_sign_up(**form.cleaned_data)
        except ServiceError as error:
            _field_error(form, error)
        else:
            return redirect("my:signup_sent")
    return _form_page(
        request,
        form,
        title=_("マイページに登録する"),
        lead=_("メールアドレスとパスワードを決めてください。確認のメールをお送りします。"),
        button=_("登録して確認のメールを受け取る"),
        after="signup",
    )


def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "my/account/sent.html", {"what": "signup"})


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The link in the mail shows a button; pressing it (POST) verifies and logs her in, so a
    mail program that opens links to check them does not use the link up."""
    user = unverified_account(_uid(uidb64))
    if request.method == "POST" and user is not None:
        try:
            account_verify(user=user, token=token)
        except ServiceError:
            user = None
        else:
            login(request, user, backend=BACKEND)
            messages.success(request, _("メールアドレスを確認しました。マイページへようこそ。"))
            return redirect("my:home")
    valid = user is not None and verification_tokens.check_token(user, token)
    return render(request, "my/account/verify.html", {"valid": valid}, status=200 if valid else 400)


def _uid(uidb64: str) -> str | None:
    try:
        return force_str(urlsafe_base64_decode(uidb64))
    except (ValueError, TypeError):
        return None


@require_http_methods(["GET", "POST"])
def resend(request: HttpRequest) -> HttpResponse:
    form = EmailForm(request.POST or None)
    if form.is_valid():
        verification_resend(email=form.cleaned_data["email"])
        return redirect("my:signup_sent")
    return _form_page(
        request,
        form,
        title=_("確認のメールをもう一度送る"),
        lead=_("登録したメールアドレスを入力してください。確認のリンクをお送りします。"),
        button=_("確認のメールを送る"),
    )


def _claim_tries_key(request: HttpRequest) -> str:
    return f"my-claim-tries:{request.META.get('REMOTE_ADDR', '')}"


def _claim_throttled(request: HttpRequest) -> bool:
    return (
        request.session.get("claim_tries", 0) >= CLAIM_TRIES
        or cache.get(_claim_tries_key(request), 0) >= CLAIM_TRIES * 4
    )


def _claim_failed(request: HttpRequest) -> None:
    request.session["claim_tries"] = request.session.get("claim_tries", 0) + 1
    request.session.set_expiry(CLAIM_WINDOW)
    key = _claim_tries_key(request)
    cache.add(key, 0, CLAIM_WINDOW)
    cache.incr(key)


@require_http_methods(["GET", "POST"])
def claim(request: HttpRequest) -> HttpResponse:
    """Her account from the code こども課 printed for her, with her birth date as the check that
    the paper is hers; then, as after a sign-up, the link mailed to verify her address. Wrong
    tries are limited per browser session and per address."""
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and _claim_throttled(request):
        form.is_valid()
        form.add_error(
            None,
            _(
                "入力をまちがえた回数が多いため、しばらく受け付けません。15分ほどたってからお試しください。"
            ),
        )
    elif form.is_valid():
        try:
            account_claim(**form.cleaned_data)
        except ServiceError as error:
            if error.field in ("code", "birth_date"):
                _claim_failed(request)
            _field_error(form, error)
        else:
            return redirect("my:signup_sent")
    return _form_page(
        request,
        form,
        title=_("登録コードでマイページをはじめる"),
        lead=_(
            "こども課からお渡しした登録コードと、あなたの生年月日を入力して、"
            "メールアドレスとパスワードを決めてください。"
        ),
        button=_("アカウントをつくる"),
    )


urlpatterns = [
    path("signup/", signup, name="signup"),
    path("signup/sent/", signup_sent, name="signup_sent"),
    path("signup/resend/", resend, name="signup_resend"),
    path("signup/verify/<uidb64>/<token>/", verify, name="verify"),
    path("claim/", claim, name="claim"),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            form_class=MotherPasswordResetForm,
            template_name="my/account/password_reset.html",
            success_url=reverse_lazy("my:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="my/account/sent.html", extra_context={"what": "reset"}
        ),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=MotherSetPasswordForm,
            template_name="my/account/password_set.html",
            success_url=reverse_lazy("my:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="my/account/sent.html", extra_context={"what": "reset_done"}
        ),
        name="password_reset_complete",
    ),
]
