"""Form fields for what people type from paper: one parser per kind of input, shared with the
API (``sango.api.fields``), so that a date or an amount reads the same on every door.

- dates: ISO, 2026/4/1, full-width digits, 令和8年4月1日, R8.4.1, H6.5.20
  (``sango.rules.request.parse_date``, the rules core's own reader);
- whole numbers and yen: full-width digits, thousands separators, 円 and ¥;
- kana, postal codes and phone numbers: the normalisers of ``sango.mothers.services``.

Every field is a plain text input (no browser date picker that cannot take 和暦), keeps what
was typed when it is wrong, and says in Japanese what it expected.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sango.core.errors import ServiceError
from sango.mothers.services import normalise_kana, normalise_phone, normalise_postal_code
from sango.rules.request import parse_date

_NUMBER_NOISE = re.compile(r"[,\s円¥]")


def read_whole_number(text: str) -> int | None:
    """``３０，０００円`` → 30000; None when the text is not a whole number."""
    cleaned = _NUMBER_NOISE.sub("", unicodedata.normalize("NFKC", text))
    return int(cleaned) if cleaned.isdigit() else None


class TextInput(forms.TextInput):
    """A text box that does not autocorrect what is copied from paper."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})


class DateField(forms.CharField):
    """A date typed in 西暦 or 和暦; ``earliest``/``latest`` bound it where the form knows more."""

    widget = TextInput
    default_error_messages = {
        "invalid": _(
            "日付として読めません。2026-04-01、2026/4/1、令和8年4月1日、R8.4.1 の形で入力してください。"  # noqa: E501
        ),
        "too_early": _("%(earliest)s より前の日付は入力できません。"),
        "too_late": _("%(latest)s より後の日付は入力できません。"),
    }

    def __init__(self, *, earliest: date | None = None, latest: date | None = None, **kwargs):
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)
        self.validators = []  # the length limit is for the text box; the value is a date
        self.earliest, self.latest = earliest, latest
        self.widget.attrs.setdefault("placeholder", "例: 2026-04-01 / R8.4.1")

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, date):
            return value
        text = super().to_python(value)
        if not text:
            return None
        day = parse_date(text)
        if day is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if self.earliest and day < self.earliest:
            raise forms.ValidationError(
                self.error_messages["too_early"], "too_early", {"earliest": self.earliest}
            )
        if self.latest and day > self.latest:
            raise forms.ValidationError(
                self.error_messages["too_late"], "too_late", {"latest": self.latest}
            )
        return day

    def prepare_value(self, value: Any) -> Any:
        return value.isoformat() if isinstance(value, date) else value


class WholeNumberField(forms.CharField):
    """A count or an amount in yen, typed with full-width digits, commas or 円 as people do."""

    widget = TextInput
    default_error_messages = {
        "invalid": _("数字で入力してください。"),
        "range": _("%(minimum)sから%(maximum)sまでの数で入力してください。"),
    }

    def __init__(self, *, minimum: int = 0, maximum: int = 9_999_999, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.validators = []  # the length limit is for the text box; the value is a number
        self.minimum, self.maximum = minimum, maximum
        self.widget.attrs.setdefault("inputmode", "numeric")

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, int):
            return value
        text = super().to_python(value)
        if not text:
            return None
        number = read_whole_number(text)
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if not self.minimum <= number <= self.maximum:
            raise forms.ValidationError(
                self.error_messages["range"],
                "range",
                {"minimum": f"{self.minimum:,}", "maximum": f"{self.maximum:,}"},
            )
        return number


class _NormalisedField(forms.CharField):
    """A text normalised by one of the domain's normalisers, whose message becomes the error."""

    widget = TextInput
    normalise: Callable[[str], str]

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        if not text:
            return text
        try:
            return type(self).normalise(text)
        except ServiceError as error:
            raise forms.ValidationError(error.message, code="invalid") from None


class KanaField(_NormalisedField):
    """フリガナ: hiragana or half-width katakana become full-width katakana."""

    normalise = staticmethod(normalise_kana)


class PostalCodeField(_NormalisedField):
    """郵便番号 as 719-1131 from ７１９１１３１ or 〒719-1131."""

    normalise = staticmethod(normalise_postal_code)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 10)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "numeric")


class PhoneField(_NormalisedField):
    """電話番号 with ASCII digits and hyphens."""

    normalise = staticmethod(normalise_phone)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "tel")
