"""Text as it is stored: whatever door it came through (a form, the API, a service, the admin),
every character and text field of Sango's own models is cleaned once, just before it is saved
(``clean_model_text``, connected to ``pre_save`` in ``CoreConfig.ready``).

What goes: characters nobody means to type and that change how text reads or is printed —
bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069: ‮ reverses a name on
screen), zero-width characters and the BOM, and control characters (a terminal escape, a NUL).
Line breaks stay in multi-line fields (``TextField``) as ``\\n``; in single-line fields they
become one space. Nothing else changes: not even Unicode NFC, which maps some CJK compatibility
ideographs (神 U+FA19) to their unified forms and so changes how a name is written. NFKC is
applied only where it is right (kana, digits, codes), in their own normalisers
(``sango.mothers.services``).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from django.db import models

# Bidi embeddings/overrides/isolates, marks, zero-width characters, word joiner, BOM, soft hyphen.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad]")
# C0 and C1 controls, DEL; tab, line feed and carriage return are handled apart.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")


def clean_text(value: str, *, multiline: bool = False) -> str:
    """``value`` without invisible and control characters; line breaks kept as ``\\n`` when
    ``multiline``, else folded into single spaces. Tabs become spaces."""
    text = _LINE_BREAKS.sub("\n", value)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub("", text).replace("\t", " ")
    if not multiline:
        text = " ".join(part.strip() for part in text.split("\n") if part.strip())
    return text


def clean_model_text(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """``pre_save``: clean every text field of ``instance`` (Sango's models only)."""
    for attname, multiline in _text_fields(sender):
        value = getattr(instance, attname)
        if not isinstance(value, str) or not _may_change(value, multiline):
            continue
        cleaned = clean_text(value, multiline=multiline)
        if cleaned != value:
            setattr(instance, attname, cleaned)


def _may_change(value: str, multiline: bool) -> bool:
    """Whether ``clean_text`` could change ``value``: a character it removes or folds, or (on
    one line) space around it. Most text saved has neither, and is read once, in C."""
    return _CLEANED.search(value) is not None or (not multiline and value != value.strip())


@cache
def _text_fields(model: type[models.Model]) -> tuple[tuple[str, bool], ...]:
    """The attribute name of each character or text field of a Sango model, and whether it
    holds several lines."""
    if not model.__module__.startswith("sango."):
        return ()
    return tuple(
        (field.attname, isinstance(field, models.TextField))
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField))
    )


# Every character one of the patterns above matches, and tab and line feed.
_CLEANED = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028\u2029\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufeff]"
)
