"""Mothers log in with their e-mail address (their username is the same address, lower-cased,
so Django's ModelBackend admits a verified account). This backend answers only for a mothers'
account that is not active yet — a sign-up whose address was never verified — so that the
mothers' login can say so and offer the link again, instead of "wrong password". Sessions are
loaded by ModelBackend.get_user, which still refuses inactive accounts."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from sango.accounts.models import User


class MotherEmailBackend(ModelBackend):
    def authenticate(
        self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if not username or not password or "@" not in username:
            return None
        user = User.objects.filter(
            username=username.strip().lower(), role=User.Role.MOTHER, is_active=False
        ).first()
        if user is None or user.last_login is not None or not user.check_password(password):
            return None
        return user

    def get_user(self, user_id: Any) -> None:
        return None
