"""The password rules: at least 12 characters and not guessable (common, breached, a word with
digits added, the account's own name); the demo's command refuses production settings."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import override_settings

from sango.accounts.models import User


@pytest.mark.parametrize(
    "password",
    [
        "short-pass1",  # 11 characters
        "password2024!",  # a common word and a year
        "qwertyuiop12",  # the keyboard's top row
        "123456789012",  # digits only
        "hanakohanako1",  # her own name, twice
        "sangosango123",  # the site's name
    ],
)
def test_guessable_or_short_passwords_are_refused(password):
    user = User(username="hanako.soja@example.jp", email="hanako.soja@example.jp")
    user.first_name, user.last_name = "hanako", "soja"
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    assert all(message for message in refused.value.messages)


def test_a_passphrase_is_accepted():
    validate_password("sakura-hoikuen-kaidan-7", User(username="someone@example.jp"))


def test_the_messages_are_japanese():
    with pytest.raises(ValidationError) as refused:
        validate_password("password2024!", User(username="x"))
    assert any("推測されやすい" in m for m in refused.value.messages)


@override_settings(SANGO_PRODUCTION=True)
def test_demo_setup_refuses_production_settings():
    with pytest.raises(CommandError, match="production settings"):
        call_command("demo_setup")
    assert not User.objects.filter(username="admin").exists()
