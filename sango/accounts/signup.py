"""Mothers signing up themselves: an account made from an e-mail address and a password, not
active until she opens the link mailed to that address (``account_verify``). Every mail is sent
by a background task after the transaction commits (``sango.accounts.tasks``); the tasks carry
the account id only and make the link themselves, so no link waits in the queue table.

The username is the address in lower case, so one address is one account however it was typed.
A sign-up with an address already registered says the same as a new one ("we sent a mail") and
mails the owner instead, so the form does not tell who has an account.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from sango.accounts.models import User
from sango.audit.services import audit_record
from sango.core.errors import ServiceError


class VerificationTokenGenerator(PasswordResetTokenGenerator):
    """The link in the verification mail: valid for PASSWORD_RESET_TIMEOUT (3 days), and spent
    once she is active (the activity is part of the hash)."""

    key_salt = "sango.accounts.signup.VerificationTokenGenerator"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


verification_tokens = VerificationTokenGenerator()


def email_normalise(email: str) -> str:
    """The address as stored and used as username: stripped, lower case; refused if not one."""
    address = email.strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise ServiceError(
            "メールアドレスを確かめてください（例: hanako@example.jp）。", field="email"
        ) from None
    return address


def password_check(password: str, user: User) -> None:
    """Django's password validators, their messages given back at the password field."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise ServiceError(" ".join(error.messages), field="password") from None


@transaction.atomic
def account_sign_up(*, email: str, password: str) -> User | None:
    """A new mother's account (inactive) and its verification mail; None, with a mail to the
    owner, when the address is already registered."""
    address = email_normalise(email)
    existing = User.objects.filter(username=address).first()
    candidate = existing or User(username=address, email=address, role=User.Role.MOTHER)
    password_check(password, candidate)
    if existing is not None:
        if existing.is_active or existing.last_login is not None:
            mail_after_commit("already_registered_mail", existing.pk)
            return None
        # Signed up before and never verified: the link is sent again, and a new password counts
        # (the same one is kept as it is, so that the first link of a double tap still works).
        if not existing.check_password(password):
            existing.set_password(password)
            existing.save(update_fields=["password"])
        mail_after_commit("verification_mail", existing.pk)
        return existing
    user = User(username=address, email=address, role=User.Role.MOTHER, is_active=False)
    user.set_password(password)
    user.save()
    audit_record(actor=user, action="account.sign_up", target=user)
    mail_after_commit("verification_mail", user.pk)
    return user


def verification_resend(*, email: str) -> None:
    """Send the link again to an account not verified yet; silent for any other address."""
    try:
        address = email_normalise(email)
    except ServiceError:
        return
    user = User.objects.filter(
        username=address, role=User.Role.MOTHER, is_active=False, last_login__isnull=True
    ).first()
    if user is not None:
        mail_after_commit("verification_mail", user.pk)


def unverified_account(user_id: Any) -> User | None:
    """The account a verification link names, if it is still waiting for verification."""
    try:
        return User.objects.get(
            pk=user_id, role=User.Role.MOTHER, is_active=False, last_login__isnull=True
        )
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        return None


@transaction.atomic
def account_verify(*, user: User, token: str) -> User:
    """Activate the account when ``token`` is its valid link; refused otherwise."""
    if not user.pk or user.is_active or not verification_tokens.check_token(user, token):
        raise ServiceError(
            "このリンクは使えません。期限が切れたか、すでに使われています。", code="invalid_token"
        )
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(actor=user, action="account.verify", target=user)
    return user


def password_reset_request(*, email: str) -> None:
    """Mail a reset link to each active mother's account with this address (none: nothing
    happens, and the page says the same). Staff accounts are reset by their administrators."""
    try:
        address = email_normalise(email)
    except ServiceError:
        return
    for user in User.objects.filter(email__iexact=address, is_active=True, role=User.Role.MOTHER):
        if user.has_usable_password():
            mail_after_commit("password_reset_mail", user.pk)


def mail_after_commit(task_name: str, user_id: int) -> None:
    """Queue the account mail ``task_name`` (a task of ``sango.accounts.tasks``) once the
    transaction commits."""
    from sango.accounts import tasks

    transaction.on_commit(lambda: getattr(tasks, task_name).enqueue(user_id=user_id))
