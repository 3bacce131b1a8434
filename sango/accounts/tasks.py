"""The account mails, sent by the task worker (``sango db_worker``): the verification link, the
password reset link, and the note to an owner whose address someone tried to sign up with.
Each task takes the account id and makes its link when it runs, from ``SANGO_SITE_URL``."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.functional import Promise
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from sango.accounts.models import User
from sango.accounts.signup import verification_tokens

IGNORE = _("心当たりがない場合は、このメールは破棄してください。")


def _link(name: str, user: User, token: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return settings.SANGO_SITE_URL + reverse(name, args=[uid, token])


def _account(user_id: int, **state: bool) -> User | None:
    """The account the task was queued for, or None where it has gone, changed state since or
    has no address to write to (the task then sends nothing)."""
    user = User.objects.filter(pk=user_id, **state).first()
    return user if user is not None and user.email else None


def _mail(user: User, subject: Promise, lines: list[str | Promise]) -> None:
    """Send ``lines`` (lazy translations and links) in Japanese whatever language the worker
    runs in, closed by the note to ignore a mail she did not ask for."""
    with translation.override("ja"):
        body = "\n\n".join(str(line) for line in [*lines, IGNORE])
        send_mail(str(subject), body + "\n", None, [user.email])


@task()
def verification_mail(user_id: int) -> bool:
    """The link that verifies her address and activates her account."""
    user = _account(user_id, is_active=False)
    if user is None:
        return False
    _mail(
        user,
        _("【産後ケア マイページ】メールアドレスの確認"),
        [
            _("マイページへの登録ありがとうございます。"),
            _("次のリンクを開いて、メールアドレスの確認をすませてください（3日間有効です）。"),
            _link("my:verify", user, verification_tokens.make_token(user)),
        ],
    )
    return True


@task()
def password_reset_mail(user_id: int) -> bool:
    """The link to set a new password."""
    user = _account(user_id, is_active=True)
    if user is None:
        return False
    _mail(
        user,
        _("【産後ケア マイページ】パスワードの再設定"),
        [
            _("パスワードの再設定の申し込みを受け付けました。"),
            _("次のリンクを開いて、新しいパスワードを決めてください（3日間有効です）。"),
            _link("my:password_reset_confirm", user, default_token_generator.make_token(user)),
        ],
    )
    return True


@task()
def already_registered_mail(user_id: int) -> bool:
    """Someone signed up with an address that has an account: tell its owner how to get in."""
    user = _account(user_id)
    if user is None:
        return False
    _mail(
        user,
        _("【産後ケア マイページ】このメールアドレスは登録済みです"),
        [
            _("このメールアドレスで新しい登録の申し込みがありましたが、すでに登録されています。"),
            _("ログインはこちら（パスワードを忘れた場合は再設定できます）:"),
            settings.SANGO_SITE_URL + reverse("my:login"),
        ],
    )
    return True
