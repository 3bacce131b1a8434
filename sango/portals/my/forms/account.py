"""The account forms of マイページ: log in with her e-mail address, sign up, the address
verification resent, the password reset (Django's, its mail sent by the task worker), and
claiming the account こども課 prepared."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from sango.accounts.signup import password_reset_request
from sango.portals.common.fields import DateField

PASSWORD_HELP = _("8文字以上。数字だけや、よく使われる言葉は使えません。")


def _email_field(**kwargs: Any) -> forms.EmailField:
    return forms.EmailField(
        label=_("メールアドレス"),
        max_length=150,
        error_messages={
            "required": _("メールアドレスを入力してください。"),
            "invalid": _("メールアドレスを確かめてください（例: hanako@example.jp）。"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        **kwargs,
    )


def _password_field(*, new: bool) -> forms.CharField:
    return forms.CharField(
        label=_("パスワード"),
        strip=False,
        help_text=PASSWORD_HELP if new else "",
        error_messages={"required": _("パスワードを入力してください。")},
        widget=forms.PasswordInput(
            attrs={"autocomplete": "new-password" if new else "current-password"}
        ),
    )


class MotherLoginForm(AuthenticationForm):
    """Her e-mail address (or the user ID of an account made before e-mail sign-up) and her
    password. An address not verified yet is told so, instead of "wrong password"."""

    error_messages = {
        "invalid_login": _("メールアドレスまたはパスワードが正しくありません。"),
        "inactive": _(
            "メールアドレスの確認がまだです。登録のときに届いたメールのリンクを開いてください。"
            "メールが届いていないときは、下の「確認のメールをもう一度送る」から送れます。"
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.label = _("メールアドレス")
        username.help_text = _("ユーザーIDをお持ちの方は、ユーザーIDでもログインできます。")
        username.widget.attrs["autocomplete"] = "email"
        self.fields["password"].label = _("パスワード")

    def clean_username(self) -> str:
        typed = self.cleaned_data.get("username", "").strip()
        return typed.lower() if "@" in typed else typed

    def get_invalid_login_error(self) -> forms.ValidationError:
        return forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")


class SignUpForm(forms.Form):
    email = _email_field()
    password = _password_field(new=True)


class EmailForm(forms.Form):
    """Only an address: the verification mail sent again."""

    email = _email_field()


class ClaimForm(forms.Form):
    code = forms.CharField(
        label=_("登録コード"),
        max_length=20,
        help_text=_("こども課からお渡しした紙に書いてある10文字（例: ABCDE-FGHJK）"),
        error_messages={"required": _("登録コードを入力してください。")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    birth_date = DateField(
        label=_("あなたの生年月日"),
        error_messages={"required": _("生年月日を入力してください。")},
    )
    email = _email_field()
    password = _password_field(new=True)


class MotherPasswordResetForm(PasswordResetForm):
    """Django's reset form whose mail goes through the task queue (``password_reset_mail``)."""

    email = _email_field()

    def save(self, **kwargs: Any) -> None:
        password_reset_request(email=self.cleaned_data["email"])


class MotherSetPasswordForm(SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("新しいパスワード")
        self.fields["new_password1"].help_text = PASSWORD_HELP
        self.fields["new_password2"].label = _("新しいパスワード（確認のためもう一度）")
