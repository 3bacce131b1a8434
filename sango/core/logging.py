"""Keep personal data out of the logs.

Sango handles mothers' and infants' contact details and dates of birth. Logs are read by
operators and vendors who must not see them, so every handler carries ``PersonalDataFilter``
(wired in ``sango.config.settings.base.LOGGING``). The filter is a safety net, not a licence:
code should still not log personal data in the first place.
"""

import logging
import re

REDACTED = "[redacted]"

# Hyphen-like characters seen in Japanese input: ASCII, Unicode hyphens and dashes, the
# full-width hyphen-minus and the katakana long vowel mark often typed in its place.
_DASH = "[-‐‑–—−－ー]"
# ``\d`` on str patterns also matches full-width digits (０-９), which forms often receive.
_NOT_DIGIT_BEFORE = r"(?<!\d)"
_NOT_DIGIT_AFTER = r"(?!\d)"
_ZERO = "[0０]"
_PLUS = "[+＋]"
_SEP = "(?:" + _DASH + r"|\s)"

# Order matters: dates before phone numbers (a date must not be read as a number), and
# phone numbers before bare postal codes (090-1234 must not be taken for a postal code,
# leaving -5678 behind).
_PATTERNS: tuple[re.Pattern[str], ...] = (
    # E-mail addresses.
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    # ISO-style dates such as 1990-04-01, 1990/4/1 or 1990年4月1日 (birth and delivery dates).
    re.compile(
        _NOT_DIGIT_BEFORE + r"(?:19|20)\d{2}[-/年]\d{1,2}[-/月]\d{1,2}日?" + _NOT_DIGIT_AFTER
    ),
    # Postal codes with the postal mark: 〒123-4567, 〒1234567.
    re.compile(r"〒\s*\d{3}" + _DASH + r"?\d{4}" + _NOT_DIGIT_AFTER),
    # International form: +81 90-1234-5678, +81-3-1234-5678, +819012345678.
    re.compile(_PLUS + r"[8８][1１][\s-]?\d{1,4}" + _SEP + r"?\d{1,4}" + _SEP + r"?\d{3,4}"),
    # Domestic with separators: 090-1234-5678, 03-1234-5678, 0866-92-8200, 03(1234)5678.
    re.compile(
        _NOT_DIGIT_BEFORE
        + _ZERO
        + r"\d{1,4}(?:"
        + _SEP
        + r"|\()\d{1,4}(?:"
        + _SEP
        + r"|\))\d{3,4}"
        + _NOT_DIGIT_AFTER
    ),
    # Domestic without separators: 09012345678, 0312345678.
    re.compile(_NOT_DIGIT_BEFORE + _ZERO + r"\d{9,10}" + _NOT_DIGIT_AFTER),
    # Postal codes without the mark: 123-4567.
    re.compile(_NOT_DIGIT_BEFORE + r"\d{3}" + _DASH + r"\d{4}" + _NOT_DIGIT_AFTER),
)


def redact(text: str) -> str:
    """Return ``text`` with phone numbers, postal codes, e-mail addresses and ISO-like dates
    replaced by ``REDACTED``."""
    for pattern in _PATTERNS:
        text = pattern.sub(REDACTED, text)
    return text


class PersonalDataFilter(logging.Filter):
    """Redact personal data from a record's message, arguments and traceback text.

    The record is rewritten in place (message formatted with its arguments, then redacted;
    ``args`` cleared) and always let through: dropping records would hide errors.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            # A malformed format string: keep the pieces rather than lose the record.
            message = f"{record.msg} {record.args!r}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            # Formatters use exc_text when set; format the traceback here so that exception
            # messages (which often quote input) are redacted too.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
