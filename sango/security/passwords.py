"""A password must not be easy to guess: zxcvbn (offline) estimates how many guesses an attacker
with the usual breached-password lists, dictionaries, keyboard patterns, dates and l33t
substitutions would need, and a password scoring below 3 of 4 (under about 10⁸ guesses) is
refused. Nothing is sent anywhere — the lists ship inside the package — so it works on a
municipal network without Internet access, where a breach-lookup service cannot be reached.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from zxcvbn import zxcvbn

MIN_SCORE = 3
# zxcvbn's cost grows with length; beyond this the rest adds nothing to the estimate.
CHECKED_LENGTH = 100
# Words that make a password guessable here in particular.
SITE_WORDS = ["sango", "sangocare", "sango-demo", "産後ケア", "josanin", "clinic"]


class GuessablePasswordValidator:
    def validate(self, password: str, user: Any = None) -> None:
        inputs = list(SITE_WORDS)
        if user is not None:
            for field in ("username", "email", "first_name", "last_name"):
                value = getattr(user, field, "") or ""
                inputs.extend(part for part in value.replace("@", " ").split() if part)
        result = zxcvbn(password[:CHECKED_LENGTH], user_inputs=inputs)
        if result["score"] < MIN_SCORE:
            raise ValidationError(
                _(
                    "このパスワードはよく使われているか、推測されやすい形です（名前、"
                    "単語に数字を足しただけ、キーボードの並び、日付など）。"
                    "関係のない言葉をいくつか組み合わせてください。"
                ),
                code="password_guessable",
            )

    def get_help_text(self) -> str:
        return _("よく使われるパスワードや、名前・日付・単語に数字を足しただけのものは使えません。")
